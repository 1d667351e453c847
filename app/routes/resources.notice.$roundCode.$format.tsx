import type { LoaderFunctionArgs } from "@remix-run/node";

import { publicNotice } from "~/models/public-notice.server.ts";
import { buildPublicNotice } from "~/services/documents/public-notice.server.ts";
import { buildPublicNoticeDocx } from "~/services/documents/public-notice-docx.server.ts";
import { getSessionUser } from "~/utils/session.server.ts";
import { z } from "~/utils/zod.ts";

const ParamsSchema = z.object({ roundCode: z.string().trim().max(12), format: z.enum(["pdf", "docx"]) });

/**
 * 公示 as a PDF or .docx for posting on the bureau's website: to anyone while the notice is open (as
 * the page), to staff once its period is set (to prepare the posting).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw new Response("没有这个批次的公示。", { status: 404 });
  const user = await getSessionUser(request);
  const staff = Boolean(user?.roles.some((r) => r === "staff" || r === "approver"));
  const notice = await publicNotice(parsed.data.roundCode, { evenIfNotOpen: staff });
  if (notice.state === "missing") throw new Response("没有这个批次的公示。", { status: 404 });
  if (!notice.entries || !notice.period) throw new Response("本批次的评审结果当前未在公示期内。", { status: 404 });
  const data = {
    roundName: notice.roundName,
    period: notice.period,
    entries: notice.entries,
    total: notice.total,
    objectionText: notice.objectionText,
    authority: notice.authority,
    issuedOn: notice.issuedOn,
  };
  const name = `${notice.roundName}评审结果公示`;
  const [bytes, type] =
    parsed.data.format === "pdf"
      ? [Buffer.from(await buildPublicNotice(data)), "application/pdf"]
      : [await buildPublicNoticeDocx(data), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"];
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": type,
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(`${name}.${parsed.data.format}`)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
