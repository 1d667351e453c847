/**
 * Cross-site request forgery: a state-changing request must come from our own origin. Browsers send
 * Origin (and Sec-Fetch-Site) on every POST; a cross-site one is refused. Together with SameSite=Lax
 * session cookies this is OWASP's "verifying origin with standard headers" defence.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function checkSameOrigin(request: {
  method: string;
  origin: string | undefined;
  secFetchSite: string | undefined;
  /** The host the request was made to: the first X-Forwarded-Host, else Host (as Remix compares them). */
  host: string | undefined;
  publicUrl: string;
}): string | null {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return null;
  if (request.secFetchSite && !["same-origin", "none"].includes(request.secFetchSite)) {
    return "跨站请求已被拒绝（cross-site request refused）。";
  }
  // `Origin: null` comes from sandboxed frames, data: URLs and some redirects: never our own page.
  if (request.origin === "null") return "来源不明的请求已被拒绝（Origin: null）。";
  if (!request.origin) {
    // Non-browser clients (scripts, benchmarks) send no Origin and no cookies of a victim.
    return request.secFetchSite ? "跨站请求已被拒绝（cross-site request refused）。" : null;
  }
  let originHost: string;
  try {
    originHost = new URL(request.origin).host;
  } catch {
    return "跨站请求已被拒绝（cross-site request refused）。";
  }
  if (originHost === request.host) return null;
  if (originHost === new URL(request.publicUrl).host) {
    // Our own page, through a proxy that passes neither Host nor X-Forwarded-Host: Remix would refuse
    // the action with a 500, so say what to fix instead.
    return `反向代理配置有误：请保留 Host 请求头，或设置 X-Forwarded-Host 并启用 TRUST_PROXY=1（收到的主机名为 ${request.host ?? "空"}，应为 ${originHost}）。`;
  }
  return "跨站请求已被拒绝（cross-site request refused）。";
}
