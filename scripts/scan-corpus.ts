/**
 * R-REV-3: diagnosis reports as providers send them, made by code for the bench and the tests:
 *
 * - typesetReport: a report's text as a real Chinese PDF (the portal's own PDF service, embedded font
 *   subset, so the text layer is real) in one of several layouts (type size, running header, headings
 *   bold or not, justified or ragged, wide or narrow margins through the type size).
 * - scanReport: that PDF printed, stamped and scanned: every page rasterised (at `dpi`), turned by a
 *   slight angle, speckled with noise, stamped with a red seal (the enterprise's name around a circle,
 *   a star, 公章), JPEG-compressed and put back into a PDF with no text layer at all.
 */
import { createRequire } from "node:module";

import { createCanvas, GlobalFonts, loadImage } from "@napi-rs/canvas";
import { PDFDocument } from "pdf-lib";

import { openPdf, renderPage } from "../app/services/ocr.server.ts";
import { type Block, renderDocument } from "../app/services/pdf.server.ts";
import { mulberry32 } from "./similarity-corpus.ts";

const require = createRequire(import.meta.url);
let fontRegistered = false;
function sealFont(): string {
  if (!fontRegistered) {
    GlobalFonts.registerFromPath(
      require.resolve("@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf"),
      "SealSC",
    );
    fontRegistered = true;
  }
  return "SealSC";
}

const HEADING = /^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+[章节])/u;

/** A report's text typeset as a PDF in layout `variant` (0..3). */
export async function typesetReport(text: string, variant: number): Promise<Uint8Array> {
  const size = [10.5, 12, 11, 13][variant % 4] ?? 11;
  const blocks: Block[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "") continue;
    if (HEADING.test(line) && line.length < 30)
      blocks.push(
        variant % 2 === 0 ? { type: "heading", text: line } : { type: "paragraph", text: line, size, bold: true },
      );
    else
      blocks.push({
        type: "paragraph",
        text: line,
        size,
        indent: variant !== 3,
        align: variant === 2 ? "left" : undefined,
      });
  }
  return renderDocument({
    title: "诊断报告",
    runningHeader: variant % 2 === 1 ? "智能化改造数字化转型诊断报告" : undefined,
    pageNumbers: variant !== 2,
    blocks,
  });
}

export type ScanOptions = {
  seed: number;
  /** Scanner resolution (default 150 dpi). */
  dpi?: number;
  /** The enterprise whose seal is stamped on every page; none when absent. */
  seal?: string;
  /** Degrees; default a seeded angle within ±1.2°. */
  rotate?: number;
  /** Share of pixels speckled (default 0.004). */
  noise?: number;
};

/** The PDF printed, sealed and scanned (see the module comment). */
export async function scanReport(pdfBytes: Uint8Array, options: ScanOptions): Promise<Uint8Array> {
  const rng = mulberry32(options.seed);
  const dpi = options.dpi ?? 150;
  const pdf = await openPdf(pdfBytes);
  const out = await PDFDocument.create();
  try {
    for (let n = 1; n <= pdf.numPages; n++) {
      const image = await loadImage(await renderPage(pdf, n, dpi));
      const canvas = createCanvas(image.width, image.height);
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fbfaf7";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      const angle = ((options.rotate ?? (rng() - 0.5) * 2.4) * Math.PI) / 180;
      ctx.save();
      ctx.translate(canvas.width / 2, canvas.height / 2);
      ctx.rotate(angle);
      ctx.drawImage(image, -image.width / 2 + (rng() - 0.5) * 12, -image.height / 2 + (rng() - 0.5) * 12);
      ctx.restore();
      if (options.seal)
        drawSeal(
          ctx,
          options.seal,
          canvas.width * (0.62 + rng() * 0.12),
          canvas.height * (0.72 + rng() * 0.12),
          dpi,
          rng(),
        );
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const share = options.noise ?? 0.004;
      const speckles = Math.round(canvas.width * canvas.height * share);
      for (let i = 0; i < speckles; i++) {
        const p = Math.floor(rng() * canvas.width * canvas.height) * 4;
        const v = rng() < 0.5 ? Math.floor(rng() * 90) : 255;
        data.data[p] = v;
        data.data[p + 1] = v;
        data.data[p + 2] = v;
      }
      ctx.putImageData(data, 0, 0);
      const jpeg = await canvas.encode("jpeg", 82);
      const embedded = await out.embedJpg(jpeg);
      const page = out.addPage([595.28, 841.89]);
      page.drawImage(embedded, { x: 0, y: 0, width: 595.28, height: 841.89 });
    }
  } finally {
    await pdf.destroy();
  }
  return out.save();
}

type Ctx = ReturnType<ReturnType<typeof createCanvas>["getContext"]>;

/** A round red seal: the name around the upper rim, a star in the middle, 公章 below it. */
function drawSeal(ctx: Ctx, name: string, cx: number, cy: number, dpi: number, turn: number) {
  const radius = (dpi / 72) * 60;
  const font = sealFont();
  ctx.save();
  ctx.translate(cx, cy);
  ctx.rotate((turn - 0.5) * 0.5);
  ctx.globalAlpha = 0.82;
  ctx.strokeStyle = "#d8141e";
  ctx.fillStyle = "#d8141e";
  ctx.lineWidth = radius * 0.06;
  ctx.beginPath();
  ctx.arc(0, 0, radius, 0, Math.PI * 2);
  ctx.stroke();
  // the name around the rim, from lower left over the top to lower right
  const chars = [...name];
  const span = Math.PI * 1.25;
  ctx.font = `${Math.round(radius * 0.26)}px ${font}`;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  chars.forEach((ch, i) => {
    const a = -Math.PI / 2 - span / 2 + (span * (i + 0.5)) / chars.length;
    ctx.save();
    ctx.rotate(a + Math.PI / 2);
    ctx.fillText(ch, 0, -radius * 0.76);
    ctx.restore();
  });
  // the star
  ctx.beginPath();
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? radius * 0.24 : radius * 0.1;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    if (i === 0) ctx.moveTo(r * Math.cos(a), r * Math.sin(a));
    else ctx.lineTo(r * Math.cos(a), r * Math.sin(a));
  }
  ctx.closePath();
  ctx.fill();
  ctx.font = `${Math.round(radius * 0.22)}px ${font}`;
  ctx.fillText("公章", 0, radius * 0.5);
  ctx.restore();
}
