import type { LoaderFunctionArgs } from "@remix-run/node";
import { disbursementData, getBatch } from "~/models/payout.server.ts";
import { writeXlsx } from "~/services/spreadsheet.server.ts";
import { requireUser } from "~/utils/session.server.ts";

type Row = {
  seq: number | "";
  providerName: string;
  providerCreditCode: string;
  enterpriseName: string;
  enterpriseCreditCode: string;
  applicationNumber: string;
  amountText: string;
  amountYuan: string;
  amountCapital: string;
};

/** R-PAY-2 / R-PAY-3: the same data as the disbursement list PDF, as .xlsx (amounts as exact text). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["staff", "approver"] });
  const batch = await getBatch(params.batchId ?? "");
  if (!batch) throw new Response("拨付批次不存在。", { status: 404 });
  const list = disbursementData(batch);
  const yuan = (text: string) => text.replaceAll(",", "");
  const rows: Row[] = [];
  let seq = 0;
  for (const group of list.groups) {
    for (const line of group.lines) {
      seq += 1;
      rows.push({
        seq,
        providerName: group.providerName,
        providerCreditCode: group.providerCreditCode,
        enterpriseName: line.enterpriseName,
        enterpriseCreditCode: line.enterpriseCreditCode,
        applicationNumber: line.applicationNumber,
        amountText: line.amount.amountText,
        amountYuan: yuan(line.amount.amountText),
        amountCapital: line.amount.amountCapital,
      });
    }
    rows.push({ seq: "", providerName: `${group.providerName} 小计`, providerCreditCode: "", enterpriseName: "", enterpriseCreditCode: "", applicationNumber: "", amountText: group.subtotal.amountText, amountYuan: yuan(group.subtotal.amountText), amountCapital: group.subtotal.amountCapital });
  }
  rows.push({ seq: "", providerName: "合计", providerCreditCode: "", enterpriseName: "", enterpriseCreditCode: "", applicationNumber: "", amountText: list.total.amountText, amountYuan: yuan(list.total.amountText), amountCapital: list.total.amountCapital });
  rows.push({ seq: "", providerName: `批次号 ${list.batchNumber}；编制人 ${list.preparedBy}（${list.preparedOn}）；审核人 ${list.approvedBy ?? "待审核"}${list.approvedOn ? `（${list.approvedOn}）` : ""}；摘要 ${batch.digest ?? "审批后生成"}`, providerCreditCode: "", enterpriseName: "", enterpriseCreditCode: "", applicationNumber: "", amountText: "", amountYuan: "", amountCapital: "" });
  const xlsx = await writeXlsx<Row>(
    "拨付明细表",
    [
      { header: "序号", width: 6, value: (r) => r.seq },
      { header: "服务商", width: 36, value: (r) => r.providerName },
      { header: "服务商统一社会信用代码", width: 22, value: (r) => r.providerCreditCode },
      { header: "被诊断企业", width: 36, value: (r) => r.enterpriseName },
      { header: "企业统一社会信用代码", width: 22, value: (r) => r.enterpriseCreditCode },
      { header: "申报编号", width: 14, value: (r) => r.applicationNumber },
      { header: "金额（元）", width: 14, value: (r) => r.amountYuan },
      { header: "大写金额", width: 30, value: (r) => r.amountCapital },
    ],
    rows,
  );
  return new Response(new Uint8Array(xlsx), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(`拨付明细表-${batch.number}.xlsx`)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
