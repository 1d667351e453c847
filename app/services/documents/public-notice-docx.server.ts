/**
 * The public notice (公示) as .docx, for a bureau that posts Word files: the same content as the PDF
 * (public-notice.server.ts), written with the `docx` library — amounts right-aligned, the authority
 * and date line right-aligned at the foot.
 */
import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";

import { noticeIntro, type PublicNoticeData } from "~/services/documents/public-notice.server.ts";

const FONT = { ascii: "SimSun", eastAsia: "宋体", hAnsi: "SimSun" };

function cell(text: string, options: { right?: boolean; bold?: boolean; width: number; span?: number }) {
  return new TableCell({
    width: { size: options.width, type: WidthType.PERCENTAGE },
    columnSpan: options.span,
    children: [
      new Paragraph({
        alignment: options.right ? AlignmentType.RIGHT : AlignmentType.LEFT,
        children: [new TextRun({ text, bold: options.bold, font: FONT, size: 21 })],
      }),
    ],
  });
}

const WIDTHS = [6, 30, 30, 14, 20];

export async function buildPublicNoticeDocx(data: PublicNoticeData): Promise<Buffer> {
  const text = (t: string, extra: { bold?: boolean; size?: number } = {}) =>
    new TextRun({ text: t, font: FONT, size: extra.size ?? 24, bold: extra.bold });
  const header = new TableRow({
    tableHeader: true,
    children: ["序号", "被诊断企业", "诊断服务商", "拟补助金额（元）", "大写金额"].map((h, i) =>
      cell(h, { bold: true, width: WIDTHS[i] ?? 10, right: i === 3 }),
    ),
  });
  const rows = data.entries.map(
    (e) =>
      new TableRow({
        children: [String(e.seq), e.enterpriseName, e.providerName, e.amountText, e.amountCapital].map((t, i) =>
          cell(t, { width: WIDTHS[i] ?? 10, right: i === 3 }),
        ),
      }),
  );
  const total = new TableRow({
    children: [
      cell("合计", { bold: true, right: true, width: 66, span: 3 }),
      cell(data.total.text, { bold: true, right: true, width: 14 }),
      cell(data.total.capital, { bold: true, width: 20 }),
    ],
  });
  const doc = new Document({
    creator: data.authority,
    title: `${data.roundName}评审结果公示`,
    sections: [
      {
        children: [
          new Paragraph({
            heading: HeadingLevel.TITLE,
            alignment: AlignmentType.CENTER,
            children: [text("智能化改造咨询诊断项目评审结果公示", { bold: true, size: 36 })],
          }),
          new Paragraph({ alignment: AlignmentType.CENTER, children: [text(data.roundName)] }),
          new Paragraph({ indent: { firstLine: 480 }, children: [text(noticeIntro(data))] }),
          new Paragraph({
            indent: { firstLine: 480 },
            children: [text(`公示期：${data.period.opens} 至 ${data.period.closes}（北京时间）。`)],
          }),
          new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...rows, total] }),
          new Paragraph({ spacing: { before: 240 }, children: [text("异议方式", { bold: true })] }),
          new Paragraph({
            indent: { firstLine: 480 },
            children: [text(data.objectionText || "如有异议，请于公示期内向区工业和信息化局书面反映。")],
          }),
          new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { before: 480 }, children: [text(data.authority)] }),
          new Paragraph({ alignment: AlignmentType.RIGHT, children: [text(data.issuedOn)] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
