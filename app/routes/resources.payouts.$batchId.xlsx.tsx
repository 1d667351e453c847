import type { LoaderFunctionArgs } from "@remix-run/node";

import { disbursementData, getBatch } from "~/models/payout-batch-queries.server.ts";
import { writeXlsx } from "~/services/spreadsheet.server.ts";
import { requireUser } from "~/utils/session.server.ts";

type Row = {
  seq: number | "";
  providerName: string;
  providerCreditCode: string;
  enterpriseName: string;
  enterpriseCreditCode: string;
  applicationNumber: string;
  payeeAccountName: string;
  payeeBankName: string;
  payeeAccountNumber: string;
  /** Integer fen; null on the note row. */
  amountFen: number | null;
  amountCapital: string;
};

/**
 * R-PAY-2 / R-PAY-3: the same data as the disbursement list PDF, as .xlsx: amounts numeric (0.00, so
 * Excel sums them), the payee account on every line of its provider.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["staff", "approver"] });
  const batch = await getBatch(params.batchId ?? "");
  if (!batch) throw new Response("拨付批次不存在。", { status: 404 });
  const list = disbursementData(batch);
  const rows: Row[] = [];
  let seq = 0;
  const blank = {
    providerCreditCode: "",
    enterpriseName: "",
    enterpriseCreditCode: "",
    applicationNumber: "",
    payeeAccountName: "",
    payeeBankName: "",
    payeeAccountNumber: "",
  };
  for (const group of list.groups) {
    const payee = {
      payeeAccountName: group.payee?.accountName ?? "未登记",
      payeeBankName: group.payee?.bankName ?? "",
      payeeAccountNumber: group.payee?.accountNumber ?? "",
    };
    for (const line of group.lines) {
      seq += 1;
      rows.push({
        seq,
        providerName: group.providerName,
        providerCreditCode: group.providerCreditCode,
        enterpriseName: line.enterpriseName,
        enterpriseCreditCode: line.enterpriseCreditCode,
        applicationNumber: line.applicationNumber,
        ...payee,
        amountFen: line.amount.amountFen,
        amountCapital: line.amount.amountCapital,
      });
    }
    rows.push({
      ...blank,
      seq: "",
      providerName: `${group.providerName} 小计`,
      amountFen: group.subtotal.amountFen,
      amountCapital: group.subtotal.amountCapital,
    });
  }
  rows.push({
    ...blank,
    seq: "",
    providerName: "合计",
    amountFen: list.total.amountFen,
    amountCapital: list.total.amountCapital,
  });
  rows.push({
    ...blank,
    seq: "",
    providerName: `批次号 ${list.batchNumber}${list.draft ? "（待审批）" : ""}；编制人 ${list.preparedBy}（${list.preparedOn}）；审核人 ${list.approvedBy ?? "待审核"}${list.approvedOn ? `（${list.approvedOn}）` : ""}；摘要 ${batch.digest ?? "审批后生成"}`,
    amountFen: null,
    amountCapital: "",
  });
  const xlsx = await writeXlsx<Row>(
    "拨付明细表",
    [
      { header: "序号", width: 6, value: (r) => r.seq },
      { header: "服务商", width: 36, value: (r) => r.providerName },
      { header: "服务商统一社会信用代码", width: 22, value: (r) => r.providerCreditCode },
      { header: "被诊断企业", width: 36, value: (r) => r.enterpriseName },
      { header: "企业统一社会信用代码", width: 22, value: (r) => r.enterpriseCreditCode },
      { header: "申报编号", width: 14, value: (r) => r.applicationNumber },
      { header: "开户名称", width: 36, value: (r) => r.payeeAccountName },
      { header: "开户银行", width: 30, value: (r) => r.payeeBankName },
      { header: "银行账号", width: 26, value: (r) => r.payeeAccountNumber },
      { header: "金额（元）", width: 14, fen: (r) => r.amountFen },
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
