/**
 * 提交回执: the electronic receipt a provider gets when it submits an application, listing every file
 * it submitted with its SHA-256 digest, so either side can later show which bytes were submitted.
 */
import { type DocumentSpec, renderDocument } from "~/services/pdf.server.ts";

export type ReceiptFile = {
  /** The material, e.g. "M6 诊断合同". A material with several files has one entry per file. */
  material: string;
  fileName: string;
  /** 64 hexadecimal characters. */
  sha256: string;
};

export type ReceiptData = {
  applicationNumber: string;
  roundName: string;
  provider: { name: string; creditCode: string };
  enterprise: { name: string; creditCode: string };
  /** Formatted by the caller in Asia/Shanghai, e.g. "2022-12-19 15:32:08（北京时间）". */
  submittedAt: string;
  files: ReceiptFile[];
};

export function receiptSpec(data: ReceiptData): DocumentSpec {
  for (const file of data.files) {
    if (!/^[0-9a-f]{64}$/i.test(file.sha256)) throw new Error(`not a SHA-256 digest: ${file.sha256}`);
  }
  return {
    title: "申报材料提交回执",
    subject: `${data.roundName} 提交回执 ${data.applicationNumber}`,
    runningHeader: `申报编号：${data.applicationNumber}`,
    blocks: [
      { type: "title", text: "申报材料提交回执", subtitle: data.roundName },
      {
        type: "keyValue",
        pairsPerRow: 2,
        size: 10,
        items: [
          { key: "申报编号", value: data.applicationNumber },
          { key: "提交时间", value: data.submittedAt },
          { key: "服务商", value: data.provider.name },
          { key: "统一社会信用代码", value: data.provider.creditCode },
          { key: "被诊断企业", value: data.enterprise.name },
          { key: "统一社会信用代码", value: data.enterprise.creditCode },
        ],
      },
      { type: "heading", text: `已提交材料（共 ${data.files.length} 个文件）` },
      {
        type: "table",
        size: 9,
        columns: [
          { header: "序号", width: 6, align: "center" },
          { header: "材料", width: 26 },
          { header: "文件名", width: 29 },
          { header: "SHA-256 摘要", width: 39, mono: true },
        ],
        // The digest is split in two halves of 32 characters: two even lines in the narrow column.
        rows: data.files.map((file, i) => [
          String(i + 1),
          file.material,
          file.fileName,
          `${file.sha256.slice(0, 32)}\n${file.sha256.slice(32)}`.toLowerCase(),
        ]),
      },
      {
        type: "paragraph",
        size: 10,
        muted: true,
        text: [
          "说明：",
          "1. 本回执为电子回执，由申报平台在申报材料提交时自动生成，无需签字盖章。",
          "2. SHA-256 摘要是所提交电子文件的数字指纹，可用于核验文件在提交后未被改动。",
          "3. 本回执仅证明申报材料已于上述时间提交，不代表审核通过。纸质申报材料一式两份仍须按要求报送区工信局。",
        ].join("\n"),
      },
    ],
  };
}

/** The submission receipt as a PDF. */
export function buildReceipt(data: ReceiptData): Promise<Uint8Array> {
  return renderDocument(receiptSpec(data));
}
