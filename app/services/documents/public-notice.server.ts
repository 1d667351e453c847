/**
 * 评审结果公示: the notice of a round's passed applications (审核通过后公示, R-PAY-3) as the bureau
 * posts it on its website: the enterprises, their providers and the amounts (in figures, right-
 * aligned, and in capitals, R-PAY-2), the period, how to object, and the issuing authority and date.
 */
import { type DocumentSpec, renderDocument } from "~/services/pdf.server.ts";

export type PublicNoticeEntry = {
  seq: number;
  enterpriseName: string;
  providerName: string;
  amountText: string;
  amountCapital: string;
};

export type PublicNoticeData = {
  roundName: string;
  /** Formatted by the caller in Asia/Shanghai. */
  period: { opens: string; closes: string };
  entries: PublicNoticeEntry[];
  total: { text: string; capital: string };
  objectionText: string;
  /** The issuing authority, e.g. 张店区工业和信息化局. */
  authority: string;
  /** The date line, e.g. 2022年12月21日. */
  issuedOn: string;
};

/** The opening sentence, the same on the page and in the documents. */
export function noticeIntro(data: Pick<PublicNoticeData, "entries">): string {
  return `经服务商申报、形式审查和专家评审，以下 ${data.entries.length} 家企业的智能化改造咨询诊断项目评审合格，拟予补助，现予公示。`;
}

export function publicNoticeSpec(data: PublicNoticeData): DocumentSpec {
  return {
    title: `${data.roundName}评审结果公示`,
    subject: `${data.roundName} 评审结果公示`,
    author: data.authority,
    blocks: [
      { type: "title", text: "智能化改造咨询诊断项目评审结果公示", subtitle: data.roundName },
      { type: "paragraph", indent: true, text: noticeIntro(data) },
      { type: "paragraph", indent: true, text: `公示期：${data.period.opens} 至 ${data.period.closes}（北京时间）。` },
      {
        type: "table",
        size: 10,
        columns: [
          { header: "序号", width: 6, align: "center" },
          { header: "被诊断企业", width: 30 },
          { header: "诊断服务商", width: 30 },
          { header: "拟补助金额（元）", width: 14, align: "right" },
          { header: "大写金额", width: 20 },
        ],
        rows: [
          ...data.entries.map((e) => [String(e.seq), e.enterpriseName, e.providerName, e.amountText, e.amountCapital]),
          {
            bold: true,
            cells: [{ text: "合计", span: 3, align: "right" as const }, data.total.text, data.total.capital],
          },
        ],
      },
      { type: "heading", text: "异议方式" },
      {
        type: "paragraph",
        indent: true,
        text: data.objectionText || "如有异议，请于公示期内向区工业和信息化局书面反映。",
      },
      { type: "spacer", height: 24 },
      { type: "paragraph", align: "right", text: data.authority },
      { type: "paragraph", align: "right", text: data.issuedOn },
    ],
  };
}

/** The notice as a PDF. */
export function buildPublicNotice(data: PublicNoticeData): Promise<Uint8Array> {
  return renderDocument(publicNoticeSpec(data));
}
