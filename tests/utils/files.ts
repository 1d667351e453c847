/** Real files made by code for tests: PDFs with pdf-lib, PNG and JPEG images with sharp. */
import { PDFDocument, StandardFonts } from "pdf-lib";
import sharp, { type Sharp } from "sharp";

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

/**
 * An image of 16 × 16 blocks of brightness drawn from the seed. Distinct seeds give images that a
 * perceptual hash tells apart, so the copy check (R-REV-3) never pairs the photos of unrelated tests
 * (a flat colour, whatever the colour, hashes the same as every other flat colour).
 */
function seededBlocks(seed: number, size: number): Sharp {
  let state = (seed * 2654435761) >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const blocks = Array.from({ length: 256 }, () => [next(), next(), next()].map((v) => Math.round(v * 255)));
  const raw = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const block = blocks[Math.floor((y * 16) / size) * 16 + Math.floor((x * 16) / size)] ?? [0, 0, 0];
      raw.set(block, (y * size + x) * 3);
    }
  }
  return sharp(raw, { raw: { width: size, height: size, channels: 3 } });
}

export async function makePng(seed = 1, size = 64): Promise<Buffer> {
  return seededBlocks(seed, size).png().toBuffer();
}

export async function makeJpeg(seed = 1, size = 64): Promise<Buffer> {
  return seededBlocks(seed, size).jpeg().toBuffer();
}
