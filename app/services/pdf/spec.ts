/**
 * What a printable document is made of: a list of blocks (title, heading, paragraph, key–value grid,
 * table, signature block, spacer, page break) laid out top to bottom on A4 pages. Plain types: the
 * documents in app/services/documents/ build these, app/services/pdf/render.server.ts draws them.
 */

export type Align = "left" | "center" | "right";

/** A document title, centred and bold, with an optional line under it (e.g. the round). */
export type TitleBlock = { type: "title"; text: string; subtitle?: string };
/** A bold section heading; kept on the same page as at least a few lines of what follows. */
export type HeadingBlock = { type: "heading"; text: string };
/**
 * Running text, wrapped per character (ASCII words and numbers are kept whole when they fit).
 * `indent` indents the first line of each paragraph by two characters (Chinese style); `\n` starts a
 * new paragraph. Left-aligned paragraphs are justified except for their last line.
 */
export type ParagraphBlock = {
  type: "paragraph";
  text: string;
  size?: number;
  align?: Align;
  indent?: boolean;
  bold?: boolean;
  muted?: boolean;
  /** Extra space after the paragraph, in points (default: a third of a line). */
  spaceAfter?: number;
};
/** A bordered grid of labels and values, one or two pairs a row. */
export type KeyValueBlock = {
  type: "keyValue";
  items: Array<{ key: string; value: string; /** take a whole row */ wide?: boolean }>;
  pairsPerRow?: 1 | 2;
  /** Share of the row's width each label column takes (default 0.24 with one pair a row, 0.19 with two). */
  keyWidth?: number;
  size?: number;
};
export type TableColumn = {
  header: string;
  /** Relative width: the widths are scaled to fill the page's width. */
  width: number;
  align?: Align;
  /** Draw ASCII-only cells of this column in Courier (hashes, codes). */
  mono?: boolean;
};
export type TableCell =
  string | { text: string; span?: number; align?: Align; mono?: boolean; bold?: boolean; shaded?: boolean };
export type TableRow = {
  cells: TableCell[];
  bold?: boolean;
  shaded?: boolean;
  /** Do not leave this row alone at the foot of a page (group headings). */
  keepWithNext?: boolean;
};
/** A bordered table whose header row is repeated on every page it runs over. */
export type TableBlock = {
  type: "table";
  columns: TableColumn[];
  rows: Array<TableRow | string[]>;
  size?: number;
};
/**
 * Signature and seal spaces, one column per party, lines spaced widely enough to sign and seal on.
 * The block is never split over two pages.
 */
export type SignatureBlock = {
  type: "signatures";
  /** Each line is followed by room to sign; a \n inside a line continues it at the normal spacing. */
  parties: Array<{ lines: string[] }>;
  size?: number;
};
export type SpacerBlock = { type: "spacer"; height: number };
export type PageBreakBlock = { type: "pageBreak" };

export type Block =
  | TitleBlock
  | HeadingBlock
  | ParagraphBlock
  | KeyValueBlock
  | TableBlock
  | SignatureBlock
  | SpacerBlock
  | PageBreakBlock;

export type DocumentSpec = {
  /** Document metadata title (also what a PDF viewer shows in its title bar). */
  title: string;
  subject?: string;
  author?: string;
  orientation?: "portrait" | "landscape";
  /** Small grey text at the top right of every page (e.g. a batch number). */
  runningHeader?: string;
  /** "第 1 页 / 共 3 页" at the foot of every page; default true. */
  pageNumbers?: boolean;
  /** Large, light, diagonal text across every page (e.g. 待审批 on a draft), behind nothing it hides. */
  watermark?: string;
  blocks: Block[];
};

export type RenderedPdf = {
  bytes: Uint8Array;
  pageCount: number;
  /**
   * Characters of the document that the font cannot draw, each once, in order of first appearance.
   * Each was printed as MISSING_GLYPH_MARKER.
   */
  missingCharacters: string[];
};

/** What a character the font lacks is printed as. */
export const MISSING_GLYPH_MARKER = "〓";
