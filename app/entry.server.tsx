import { PassThrough } from "node:stream";

import type { EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
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
  const callback = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";
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
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(app, {
      nonce,
      [callback]() {
        shellRendered = true;
        const body = new PassThrough();
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        resolve(
          new Response(createReadableStreamFromReadable(body), {
            headers: responseHeaders,
            status: responseStatusCode,
          }),
        );
        pipe(body);
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        responseStatusCode = 500;
        if (shellRendered) logError(error, "render failed");
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
