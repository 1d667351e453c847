import type { LoaderFunctionArgs } from "@remix-run/node";

import { disbursementData, getBatch } from "~/models/payout-batch-queries.server.ts";
import { buildDisbursementList } from "~/services/documents/disbursement-list.server.ts";
import { requireUser } from "~/utils/session.server.ts";

/** R-PAY-2 / R-PAY-3: the batch's disbursement list (拨付明细表) as a PDF for the finance bureau. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["staff", "approver"] });
  const batch = await getBatch(params.batchId ?? "");
  if (!batch) throw new Response("拨付批次不存在。", { status: 404 });
  const pdf = await buildDisbursementList(disbursementData(batch));
  const draft = batch.status === "prepared" || batch.status === "returned" ? "（未审批）" : "";
  return new Response(Buffer.from(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(`拨付明细表-${batch.number}${draft}.pdf`)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
