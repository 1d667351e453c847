/** Real files made by code for tests: PDFs with pdf-lib, PNG and JPEG images with sharp. */
import { PDFDocument, StandardFonts } from "pdf-lib";
import sharp from "sharp";

export async function makePdf(title: string, pages = 1): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`${title.replace(/[^\x20-\x7e]/g, "?")} page ${i + 1}`, { x: 50, y: 780, size: 14, font });
  }
  doc.setTitle(title);
  return doc.save();
}

export async function makePng(seed = 1, size = 64): Promise<Buffer> {
  return sharp({ create: { width: size, height: size, channels: 3, background: { r: (seed * 40) % 255, g: 120, b: 200 } } })
    .png()
    .toBuffer();
}

export async function makeJpeg(seed = 1, size = 64): Promise<Buffer> {
  return sharp({ create: { width: size, height: size, channels: 3, background: { r: 200, g: (seed * 60) % 255, b: 90 } } })
    .jpeg()
    .toBuffer();
}
