/**
 * R-REV-3 item 5: the round-wide similarity report's query (page and export share it), and the
 * threshold form (server and browser alike).
 */
import { z } from "~/utils/zod.ts";

export const SIMILARITY_PAGE_SIZE = 50;

export const SimilarityQuerySchema = z.object({
  round: z.string().trim().max(60).catch(""),
  kind: z.enum(["all", "report", "photo"]).catch("all"),
  /** R-REV-3: where the other report of a pair may be — every round in the database (default), this round, this year. */
  scope: z.enum(["all", "round", "year"]).catch("all"),
  q: z.string().trim().max(100).catch(""),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export type SimilarityQuery = z.infer<typeof SimilarityQuerySchema>;
export type SimilarityScope = SimilarityQuery["scope"];

export const SIMILARITY_SCOPE_LABELS: Record<SimilarityScope, string> = {
  all: "全部批次（含往期及其他区县）",
  year: "本年度",
  round: "本批次",
};

export function parseSimilarityQuery(url: URL): SimilarityQuery {
  const p = url.searchParams;
  return SimilarityQuerySchema.parse({
    round: p.get("round") ?? "",
    kind: p.get("kind") ?? "all",
    scope: p.get("scope") ?? "all",
    q: p.get("q") ?? "",
    page: p.get("page") ?? "1",
  });
}

/** The query string of a report page or its export (the round always named). */
export function similarityQueryString(query: SimilarityQuery, roundId: string, page?: number): string {
  const params = new URLSearchParams({ round: roundId });
  if (query.kind !== "all") params.set("kind", query.kind);
  if (query.scope !== "all") params.set("scope", query.scope);
  if (query.q) params.set("q", query.q);
  if (page && page > 1) params.set("page", String(page));
  return params.toString();
}

/** Staff type the threshold as a percentage (20–100, at most one decimal); kept as a share 0.2–1. */
export const ThresholdSchema = z.object({
  intent: z.literal("threshold"),
  roundId: z.string({ error: "缺少批次" }).min(1, "缺少批次"),
  thresholdPercent: z
    .string({ error: "请输入标记阈值" })
    .trim()
    .regex(/^\d{1,3}(?:\.\d)?$/, "请输入 20 到 100 之间的百分数，如 50 或 62.5")
    .transform((value, ctx) => {
      const tenths = Math.round(Number(value) * 10);
      if (tenths < 200 || tenths > 1000) {
        ctx.addIssue({ code: "custom", message: "标记阈值须在 20% 到 100% 之间（低于 20% 的相似不作记录）" });
        return z.NEVER;
      }
      return tenths / 1000;
    }),
});
