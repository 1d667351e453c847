/**
 * Fonts (see STACK.md, "PDFs in Chinese"): pdf-lib's own subsetting drops glyphs with Noto Sans SC,
 * so every document embeds a font that HarfBuzz (subset-font, WebAssembly) has already cut down to the
 * document's own characters, with pdf-lib's subsetting off (`subset: false`). The full TTF files
 * (≈10 MB each) are read once per process and kept in memory; the subset is made per document (≈10–20 ms,
 * so it is not cached). Layout tables (GSUB/GPOS/GDEF) are dropped from the subset: pdf-lib ignores
 * positioning anyway, and without substitutions the width we measure per character is exactly the
 * advance drawn, and every glyph maps back to one character for text extraction.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

import fontkit, { type Font as FontkitFont } from "@pdf-lib/fontkit";
import { type PDFDocument, type PDFFont, StandardFonts } from "pdf-lib";
import subsetFont from "subset-font";

import { isPrintableAscii, normaliseText } from "./text.ts";

type Weight = "regular" | "bold";

const FONT_FILES: Record<Weight, string> = {
  regular: "400Regular/NotoSansSC_400Regular.ttf",
  bold: "700Bold/NotoSansSC_700Bold.ttf",
};

function fontPackageDir(): string {
  try {
    const require = createRequire(import.meta.url);
    return path.dirname(require.resolve("@expo-google-fonts/noto-sans-sc/package.json"));
  } catch {
    return path.resolve("node_modules/@expo-google-fonts/noto-sans-sc");
  }
}

const fontBytes = new Map<Weight, Promise<Buffer>>();

/** The full TTF of a weight, read once per process. */
function loadFontBytes(weight: Weight): Promise<Buffer> {
  let bytes = fontBytes.get(weight);
  if (!bytes) {
    bytes = readFile(path.join(fontPackageDir(), FONT_FILES[weight]));
    // A failed read is not cached: the next document tries again.
    bytes.catch(() => fontBytes.delete(weight));
    fontBytes.set(weight, bytes);
  }
  return bytes;
}

let fullRegularFont: Promise<FontkitFont> | undefined;

/**
 * Characters of `text` that the regular Noto Sans SC cannot draw, each once (surrogate pairs count as
 * one character). Whitespace and invisible format characters are ignored. For checking names as they
 * are entered; documents report the same in `RenderedPdf.missingCharacters`.
 */
export async function findMissingCharacters(text: string): Promise<string[]> {
  if (!fullRegularFont) {
    const parsing = loadFontBytes("regular").then((bytes) => fontkit.create(bytes));
    parsing.catch(() => {
      fullRegularFont = undefined;
    });
    fullRegularFont = parsing;
  }
  const font = await fullRegularFont;
  const missing = new Set<string>();
  for (const ch of normaliseText(text)) {
    if (ch === "\n" || ch === " ") continue;
    const codePoint = ch.codePointAt(0);
    if (codePoint !== undefined && !font.hasGlyphForCodePoint(codePoint)) missing.add(ch);
  }
  return [...missing];
}

/** One font as used in one document: the embedded font, what it can draw, and measured widths. */
export type Face = {
  font: PDFFont;
  /** Code points the embedded font has. */
  has: (ch: string) => boolean;
  /** Advance width per character at size 1. */
  widths: Map<string, number>;
  /** Baseline position inside a line's em box, as a fraction of the size. */
  ascent: number;
};

export async function embedSubset(doc: PDFDocument, weight: Weight, characters: Set<string>): Promise<Face> {
  const full = await loadFontBytes(weight);
  const subset = await subsetFont(full, [...characters].join(""), {
    targetFormat: "truetype",
    dropTables: ["GSUB", "GPOS", "GDEF"],
  });
  const font = await doc.embedFont(subset, { subset: false });
  const codePoints = new Set(font.getCharacterSet());
  return {
    font,
    has: (ch) => codePoints.has(ch.codePointAt(0) ?? -1),
    widths: new Map(),
    ascent: 0.88,
  };
}

export async function embedCourier(doc: PDFDocument): Promise<Face> {
  const font = await doc.embedFont(StandardFonts.Courier);
  return { font, has: isPrintableAscii, widths: new Map(), ascent: 0.8 };
}
