/**
 * Every security header the portal sends, in one module, so a change (a new viewer, a CDN) is made here.
 *
 * - Pages (HTML documents, entry.server.tsx): a strict Content-Security-Policy. Scripts only from the
 *   portal's own origin, plus Remix's inline scripts carrying this response's nonce; no plugins; no
 *   framing by other sites (`frame-ancestors 'none'`). `worker-src 'self' blob:` lets a PDF viewer
 *   (pdf.js) start its worker from the portal's own origin.
 * - Every response (scripts/server.ts): nosniff, Referrer-Policy, no framing, HSTS behind https.
 * - Stored files people uploaded (storedFileHeaders): `Content-Security-Policy: sandbox`, so a PDF's or
 *   an SVG's scripts run, if at all, in an opaque origin that cannot act as the portal.
 */
import crypto from "node:crypto";

/** The page policy, directive by directive; `'nonce'` is replaced by this response's nonce. */
export const PAGE_CONTENT_SECURITY_POLICY: Record<string, string[]> = {
  "default-src": ["'self'"],
  "script-src": ["'self'", "'nonce'"],
  // React's style={{…}} attributes are inline styles.
  "style-src": ["'self'", "'unsafe-inline'"],
  "img-src": ["'self'", "data:", "blob:"],
  "font-src": ["'self'"],
  "connect-src": ["'self'"],
  // The PDF viewer's worker (pdf.js) loads from the portal's own origin or a blob: URL.
  "worker-src": ["'self'", "blob:"],
  // Previews of stored files are framed from the portal itself (/resources/files/…).
  "frame-src": ["'self'"],
  "object-src": ["'none'"],
  "base-uri": ["'self'"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
};

/** A fresh nonce for one HTML response. */
export function createNonce(): string {
  return crypto.randomBytes(16).toString("base64");
}

/** The Content-Security-Policy header of an HTML page carrying `nonce`. */
export function pageContentSecurityPolicy(nonce: string): string {
  return Object.entries(PAGE_CONTENT_SECURITY_POLICY)
    .map(([directive, sources]) =>
      [directive, ...sources.map((s) => (s === "'nonce'" ? `'nonce-${nonce}'` : s))].join(" "),
    )
    .join("; ");
}

/** Headers every response carries. HSTS only when the portal is reached over https (PUBLIC_URL). */
export function baseSecurityHeaders(options: { https: boolean }): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    ...(options.https ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

/**
 * Headers of a stored (uploaded) file: its type as detected at upload, a sandbox so its scripts cannot
 * act as the portal, framing by the portal's own pages only (previews), never cached by shared caches.
 */
export function storedFileHeaders(
  file: { contentType: string; size: number; fileName: string },
  options: { download: boolean },
): Record<string, string> {
  return {
    "Content-Type": file.contentType,
    "Content-Length": String(file.size),
    "Content-Disposition": `${options.download ? "attachment" : "inline"}; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    "Cache-Control": "private, max-age=3600",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy":
      "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'",
    "X-Frame-Options": "SAMEORIGIN",
  };
}

/**
 * X-Forwarded-* headers are read only when the portal is told it runs behind a proxy (TRUST_PROXY=1);
 * otherwise anyone could claim another host or address. Removes them from an incoming request's headers.
 */
export function dropUntrustedForwardedHeaders(
  headers: Record<string, string | string[] | undefined>,
  trustProxy: boolean,
): void {
  if (trustProxy) return;
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase().startsWith("x-forwarded-") || name.toLowerCase() === "forwarded") delete headers[name];
  }
}
