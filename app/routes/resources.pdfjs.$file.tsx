import type { LoaderFunctionArgs } from "@remix-run/node";

import { openPdfjsAsset } from "~/services/pdfjs-assets.server.ts";

/**
 * pdf.js for the report viewer (app/components/report-viewer.tsx), served from the portal's own origin
 * so that a strict Content-Security-Policy (script-src 'self', worker-src 'self') allows it. Public: it
 * is a published library, nothing of ours.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const asset = openPdfjsAsset(params.file ?? "");
  if (!asset) throw new Response("文件不存在。", { status: 404 });
  return new Response(asset.body, {
    headers: {
      "Content-Type": "text/javascript; charset=utf-8",
      "Content-Length": String(asset.size),
      "Cache-Control": "public, max-age=86400",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
