/**
 * The staff's application list (申报受理): what can be searched, filtered and sorted, read from the
 * URL query so that a list is bookmarkable. Invalid values fall back to the defaults rather than
 * erroring: a hand-edited or stale link still shows a list.
 */
import { z } from "zod";

import { APPLICATION_STATUSES, type ApplicationStatus } from "./application-status.ts";

/**
 * Rows a page can show; the first is the default: twenty fit a screen, and on a phone (where each row is
 * a card) a longer page is a long scroll. Staff who want more choose 50 or 100, or export the list.
 */
export const PAGE_SIZES = [20, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
export const DEFAULT_PAGE_SIZE: PageSize = PAGE_SIZES[0];

/** Flags staff filter on; each a rule of SPEC.md. */
export const APPLICATION_FLAGS = {
  /** R-DATE-2: the diagnosis was completed after the 20th working day after signing. */
  late: "诊断完成超期",
  /** R-MAT-3: the two paper copies have not been received. */
  no_paper: "纸质材料未收到",
  /** 补正: returned for supplement and the due time has passed. */
  supplement_overdue: "补正逾期",
  /** R-MAT-2: a material is missing or incomplete. */
  incomplete: "材料不齐全",
  /** R-ELIG-2: the provider is suspended and the application is not yet settled. */
  provider_suspended: "服务商已暂停",
} as const satisfies Record<string, string>;
export type ApplicationFlag = keyof typeof APPLICATION_FLAGS;

export const SORT_KEYS = {
  number: "申报编号",
  submitted: "提交时间",
  enterprise: "被诊断企业",
  provider: "服务商",
  status: "状态",
} as const satisfies Record<string, string>;
export type SortKey = keyof typeof SORT_KEYS;
export type SortDirection = "asc" | "desc";

const STATUS_KEYS = Object.keys(APPLICATION_STATUSES) as [ApplicationStatus, ...ApplicationStatus[]];
const FLAG_KEYS = Object.keys(APPLICATION_FLAGS) as [ApplicationFlag, ...ApplicationFlag[]];
const SORT_KEY_LIST = Object.keys(SORT_KEYS) as [SortKey, ...SortKey[]];

/** The one schema of the list's query parameters; every field falls back to its default. */
export const ApplicationListQuerySchema = z.object({
  round: z.string().trim().max(40).optional().catch(undefined),
  q: z.string().trim().max(100).catch(""),
  status: z.enum(STATUS_KEYS).optional().catch(undefined),
  provider: z.string().trim().max(40).optional().catch(undefined),
  /** Several flags combine with AND. Unknown flags are dropped, repeats collapsed. */
  flag: z
    .array(z.string())
    .catch([])
    .transform((values) => FLAG_KEYS.filter((flag) => values.includes(flag))),
  sort: z.enum(SORT_KEY_LIST).catch("number"),
  dir: z.enum(["asc", "desc"]).catch("asc"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  size: z.coerce
    .number()
    .refine((n): n is PageSize => (PAGE_SIZES as readonly number[]).includes(n))
    .catch(DEFAULT_PAGE_SIZE),
});
export type ApplicationListQuery = z.infer<typeof ApplicationListQuerySchema>;

/** Read the list's state from a URL query; never throws. */
export function parseApplicationListQuery(params: URLSearchParams): ApplicationListQuery {
  const single = (name: string) => {
    const value = params.get(name);
    return value === null || value === "" ? undefined : value;
  };
  return ApplicationListQuerySchema.parse({
    round: single("round"),
    q: params.get("q") ?? "",
    status: single("status"),
    provider: single("provider"),
    flag: params.getAll("flag"),
    sort: single("sort"),
    dir: single("dir"),
    page: single("page"),
    size: single("size"),
  });
}

/** The URL query of a list state, leaving out defaults so links stay short. */
export function applicationListSearch(query: ApplicationListQuery, change: Partial<ApplicationListQuery> = {}): string {
  const next = { ...query, ...change };
  const params = new URLSearchParams();
  if (next.round) params.set("round", next.round);
  if (next.q) params.set("q", next.q);
  if (next.status) params.set("status", next.status);
  if (next.provider) params.set("provider", next.provider);
  for (const flag of next.flag) params.append("flag", flag);
  if (next.sort !== "number") params.set("sort", next.sort);
  if (next.dir !== "asc") params.set("dir", next.dir);
  if (next.page > 1) params.set("page", String(next.page));
  if (next.size !== DEFAULT_PAGE_SIZE) params.set("size", String(next.size));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** Clicking a column header: the same column flips its direction, another column starts ascending. */
export function sortChange(
  query: ApplicationListQuery,
  key: SortKey,
): Pick<ApplicationListQuery, "sort" | "dir" | "page"> {
  const dir: SortDirection = query.sort === key && query.dir === "asc" ? "desc" : "asc";
  return { sort: key, dir, page: 1 };
}

/** Pages of a list: the requested page clamped to the last page (at least one page, even when empty). */
export function pagination(total: number, requestedPage: number, pageSize: number) {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, requestedPage), pageCount);
  return { page, pageCount, skip: (page - 1) * pageSize, take: pageSize };
}

/** 补正逾期: returned for supplement and the due instant has passed (server clock). */
export function isSupplementOverdue(
  application: { status: ApplicationStatus; supplementDueAt: Date | null },
  now: Date,
): boolean {
  return (
    application.status === "returned" &&
    application.supplementDueAt !== null &&
    application.supplementDueAt.getTime() < now.getTime()
  );
}
