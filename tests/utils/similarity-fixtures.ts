/**
 * R-REV-3 test files made by code: diagnosis reports as real Chinese PDFs (the portal's own PDF
 * service, with an embedded font subset, so the text layer is real), a scan without a text layer, and
 * site photos with structure (a perceptual hash needs more than a solid colour), optionally with EXIF.
 */
import { PDFDocument } from "pdf-lib";
import sharp from "sharp";

import { drainOcr } from "../../app/services/ocr.server.ts";
import { renderDocument } from "../../app/services/pdf.server.ts";
import { drainSimilarity } from "../../app/services/similarity.server.ts";
import type { Db } from "../../app/utils/db.server.ts";
import { scanReport, typesetReport } from "../../scripts/scan-corpus.ts";
import { deriveCopy, makeOriginal, mulberry32, render } from "../../scripts/similarity-corpus.ts";

/** An original report's text and a copy of it with another company's name and 20% of sentences replaced. */
export function reportTexts(seed: number, chars = 3000): { original: string; copy: string; other: string } {
  const rng = mulberry32(seed);
  const pool = [[{ id: 9_000_000 + seed, text: "按照企业出题、专家答题、政府助力的工作思路开展诊断服务。" }]];
  const original = makeOriginal(rng, chars, 0, pool);
  const swapped = deriveCopy(rng, original, "names_swapped", pool);
  const copy = deriveCopy(rng, swapped, "replaced", pool);
  const other = makeOriginal(mulberry32(seed + 777), chars, 1, pool);
  return { original: render(rng, original), copy: render(rng, copy), other: render(rng, other) };
}

/** A PDF of the text, one paragraph per line, with a real Chinese text layer. */
export async function reportPdf(text: string): Promise<Uint8Array> {
  return renderDocument({
    title: "诊断报告",
    blocks: text
      .split(/\r?\n/)
      .filter((line) => line.trim() !== "")
      .map((line) => ({ type: "paragraph" as const, text: line })),
  });
}

/**
 * A "scan" in which OCR finds no text: a page that is one photo and no text layer. Always the same
 * bytes (fixed dates), so the portal reads it once (its text is cached by SHA-256).
 */
export async function scannedPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setCreationDate(new Date(Date.UTC(2022, 9, 1)));
  doc.setModificationDate(new Date(Date.UTC(2022, 9, 1)));
  const page = doc.addPage([595, 842]);
  const image = await doc.embedJpg(await sitePhoto(3));
  page.drawImage(image, { x: 40, y: 40, width: 515, height: 760 });
  return doc.save();
}

/** A photo-like image with structure, different for each seed; EXIF capture time when given. */
export async function sitePhoto(seed: number, options: { takenAt?: string; width?: number } = {}): Promise<Buffer> {
  const w = options.width ?? 480;
  const h = Math.round((w * 3) / 4);
  const raw = Buffer.alloc(w * h * 3);
  const a = 11 + (seed % 17);
  const b = 19 + ((seed * 7) % 23);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const u = (x / w) * 480;
      const v = (y / h) * 360;
      raw[i] = 128 + 100 * Math.sin(u / a + v / (b + 9) + seed);
      raw[i + 1] = 128 + 100 * Math.cos(u / (b + 3) - v / a);
      raw[i + 2] = 128 + 100 * Math.sin((u + v) / (a + b) + seed * 0.7);
    }
  }
  // Large blocks of seeded brightness: what a perceptual hash sees (its low frequencies) then differs
  // between seeds as much as between two real photos; the waves alone look alike to it.
  const rng = mulberry32(seed * 7919 + 17);
  const blocks = Array.from({ length: 48 }, () => Math.round(rng() * 200) - 100);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const shift = blocks[Math.floor((y / h) * 6) * 8 + Math.floor((x / w) * 8)] ?? 0;
      const i = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) raw[i + c] = Math.max(0, Math.min(255, (raw[i + c] ?? 0) * 0.25 + 96 + shift));
    }
  }
  let image = sharp(raw, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 90 });
  if (options.takenAt)
    image = image.withExif({ IFD0: { Make: "TestCam" }, IFD2: { DateTimeOriginal: options.takenAt } });
  return image.toBuffer();
}

/** The same photo resized to 60% and recompressed harder, as a copier would reuse it. */
export async function reusedCopy(photo: Buffer): Promise<Buffer> {
  const meta = await sharp(photo).metadata();
  return sharp(photo)
    .resize(Math.round((meta.width ?? 480) * 0.6))
    .jpeg({ quality: 55 })
    .toBuffer();
}

/** A report printed, sealed with the enterprise's red seal and scanned: a PDF with no text layer. */
export async function sealedScanPdf(
  text: string,
  options: { seed: number; seal: string; layout?: number },
): Promise<Uint8Array> {
  return scanReport(await typesetReport(text, options.layout ?? 0), { seed: options.seed, seal: options.seal });
}

/** Runs the similarity and OCR workers until neither finds anything to do (R-REV-3). */
export async function drainReportReading(prisma: Db): Promise<{ reports: number; ocrPages: number }> {
  const total = { reports: 0, ocrPages: 0 };
  for (;;) {
    const similarity = await drainSimilarity(prisma);
    const pages = await drainOcr(prisma);
    total.reports += similarity.reports;
    total.ocrPages += pages;
    if (similarity.reports === 0 && similarity.photos === 0 && pages === 0) return total;
  }
}
