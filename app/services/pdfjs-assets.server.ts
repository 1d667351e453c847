/**
 * The browser build of pdf.js (pdfjs-dist's legacy build, which runs in older and in-app browsers too),
 * read from node_modules: the viewer loads it and its worker from the portal's own origin.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import { createReadableStreamFromReadable } from "@remix-run/node";

const require = createRequire(import.meta.url);
const ASSETS = new Set(["pdf.min.mjs", "pdf.worker.min.mjs"]);

export function openPdfjsAsset(name: string) {
  if (!ASSETS.has(name)) return null;
  const file = path.join(path.dirname(require.resolve("pdfjs-dist/package.json")), "legacy", "build", name);
  const size = fs.statSync(file).size;
  return { body: createReadableStreamFromReadable(fs.createReadStream(file)), size };
}
