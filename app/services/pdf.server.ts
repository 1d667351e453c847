/**
 * Printable Chinese PDFs with pdf-lib: the one entry point the documents use.
 *
 *   pdf/spec.ts            what a document is made of (blocks), plain types
 *   pdf/text.ts            normalising and wrapping text by Chinese line-breaking rules (pure)
 *   pdf/layout.ts          key–value grids as rows, faces per cell, the characters a document draws (pure)
 *   pdf/fonts.server.ts    Noto Sans SC read once, subset per document with HarfBuzz (STACK.md)
 *   pdf/render.server.ts   drawing blocks onto A4 pages with pdf-lib's content-stream operators
 *
 * A maintained layout library was measured against this one (pdfmake 0.3.11, same 1,000-line table,
 * same font): about 2.7 times slower and a third larger, over the 2 s goal of bench:payout on this
 * machine, so the documents keep their own renderer (README, "Decisions").
 */
export { findMissingCharacters } from "./pdf/fonts.server.ts";
export { renderDocument, renderPdf } from "./pdf/render.server.ts";
export * from "./pdf/spec.ts";
export { wrapParagraph } from "./pdf/text.ts";
