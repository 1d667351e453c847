// Minimal types for subset-font 2.9 (the package ships none). Only what app/services/pdf.server.ts uses,
// plus the documented options, so a typo in an option name is a compile error.
declare module "subset-font" {
  export interface SubsetFontOptions {
    /** "truetype" is an alias of "sfnt". */
    targetFormat?: "sfnt" | "truetype" | "woff" | "woff2";
    preserveNameIds?: number[];
    keepFeatures?: string[];
    variationAxes?: Record<string, number | { min: number; max: number; default?: number }>;
    noLayoutClosure?: boolean;
    glyphNames?: boolean;
    noHinting?: boolean;
    dropTables?: string[];
    keepAllGlyphs?: boolean;
  }

  export default function subsetFont(
    font: Uint8Array,
    text: string | null | undefined,
    options?: SubsetFontOptions,
  ): Promise<Buffer>;
}
