/**
 * R-REV-3 item 6: the text of a diagnosis report (M8) as the similarity check reads it.
 *
 * PDFs are read with unpdf (PDF.js built for servers; pure JavaScript, no native build; 1.7 is the
 * last release for Node 20). Pages are joined with line breaks. A PDF whose pages carry no text layer
 * (a scan) gives `no_text`: the caller must flag it to the experts, never treat it as original. A file
 * that cannot be parsed at all gives `failed` with the reason.
 */
import { extractText, getDocumentProxy } from "unpdf";
import { normalizeReport } from "~/domain/similarity/normalize.ts";

export type ReportTextResult =
  | { status: "extracted"; text: string; pages: number }
  | { status: "no_text"; text: ""; pages: number }
  | { status: "failed"; text: ""; pages: 0; error: string };

/** Fewer content characters than this (after normalisation) per page, on average, counts as no text layer. */
const MIN_CONTENT_PER_PAGE = 20;

export async function extractReportText(bytes: Uint8Array, mimeType = "application/pdf"): Promise<ReportTextResult> {
  if (mimeType.startsWith("text/")) {
    const text = new TextDecoder("utf-8").decode(bytes);
    return hasTextLayer(text, 1) ? { status: "extracted", text, pages: 1 } : { status: "no_text", text: "", pages: 1 };
  }
  if (mimeType !== "application/pdf") return { status: "no_text", text: "", pages: 0 };
  let pages: string[];
  try {
    // PDF.js takes ownership of (detaches) the buffer it is given: hand it a copy.
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    try {
      pages = (await extractText(pdf, { mergePages: false })).text;
    } finally {
      await pdf.destroy();
    }
  } catch (error) {
    return { status: "failed", text: "", pages: 0, error: error instanceof Error ? error.message : String(error) };
  }
  const text = pages.join("\n");
  return hasTextLayer(text, pages.length) ? { status: "extracted", text, pages: pages.length } : { status: "no_text", text: "", pages: pages.length };
}

function hasTextLayer(text: string, pages: number): boolean {
  const content = normalizeReport(text).contentLength;
  return content > 0 && content >= Math.min(MIN_CONTENT_PER_PAGE * Math.max(1, pages), 200);
}
