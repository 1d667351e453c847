import { Writable } from "node:stream";

import type { EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";

import { NonceProvider } from "~/components/nonce.tsx";
import { logError, loggablePath, noteRequestRoute } from "~/services/logger.server.ts";
import { ServerRequestIdContext } from "~/utils/error-reference.ts";
import { createNonce, pageContentSecurityPolicy } from "~/utils/security-headers.server.ts";

export const streamTimeout = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  noteRequestRoute(remixContext.staticHandlerContext.matches.at(-1)?.route.id);
  // A strict Content-Security-Policy (security-headers.server.ts): inline scripts run only with this nonce.
  const nonce = createNonce();
  responseHeaders.set("Content-Security-Policy", pageContentSecurityPolicy(nonce));
  const app = (
    // The error page shows the request id the server logs the error under (request-log.server.ts).
    <ServerRequestIdContext.Provider value={request.headers.get("x-request-id") ?? undefined}>
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </NonceProvider>
    </ServerRequestIdContext.Provider>
  );
  // No page streams data that arrives later (no deferred loader data), so the whole page is rendered
  // first and sent as one body with its length: one write to the socket instead of React's many small
  // chunks passed through three streams (the staff list is ≈ 70 KB: npm run bench:desk).
  return new Promise<Response>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const body = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
      final(done) {
        const html = Buffer.concat(chunks);
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        responseHeaders.set("Content-Length", String(html.byteLength));
        resolve(new Response(html, { headers: responseHeaders, status: responseStatusCode }));
        done();
      },
    });
    // Errors inside a boundary are logged once the page is known to render (an error of the shell
    // itself rejects, and Remix logs it through handleError below).
    const renderErrors: unknown[] = [];
    const { pipe, abort } = renderToPipeableStream(app, {
      nonce,
      onAllReady() {
        for (const error of renderErrors) logError(error, "render failed");
        pipe(body);
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        // An error inside a boundary: the page is still sent (with the boundary's message), as a 500.
        responseStatusCode = 500;
        renderErrors.push(error);
      },
    });
    setTimeout(abort, streamTimeout + 1000);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  // The stack stays in the server's log; the browser gets the Chinese error page with the request id.
  logError(error, "unexpected error", { method: request.method, path: loggablePath(new URL(request.url).pathname) });
}
