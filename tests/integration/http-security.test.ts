/**
 * The portal's HTTP surface, through the real built server (scripts/server.ts on PGlite): a strict
 * Content-Security-Policy whose nonce every inline script carries, framing refused, Referrer-Policy,
 * HSTS only behind https; `Origin: null` refused in Chinese (not Remix's 500); X-Forwarded-Host ignored
 * unless TRUST_PROXY=1; a sign-in redirect target with a newline or tab never leaves the portal or fails.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { TMP } from "../utils/test-database.ts";

const root = path.resolve(import.meta.dirname, "..", "..");
const dataDir = path.join(TMP, `data-http-security-${process.pid}`);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = address && typeof address === "object" ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

let child: ChildProcess | undefined;
let base = "";
let output = "";

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/server.ts"], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: "",
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      DEMO: "1",
      TRUST_PROXY: "0",
      PUBLIC_URL: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const start = Date.now();
  for (;;) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not yet
    }
    if (Date.now() - start > 120_000) throw new Error(`portal did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}, 150_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.on("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function demoAccount(role: string): { email: string; password: string } {
  const line = fs
    .readFileSync(path.join(dataDir, "demo-accounts.txt"), "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${role}\t`));
  const [, email = "", password = ""] = line?.split("\t") ?? [];
  return { email, password };
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields);

describe("HTTP security of the built portal", () => {
  it("sends a strict CSP with a fresh nonce that every inline script carries, and no framing", async () => {
    const first = await fetch(`${base}/login`);
    const html = await first.text();
    const csp = first.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1] ?? "";
    expect(nonce).not.toBe("");
    expect(csp).toContain("script-src 'self' 'nonce-");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).not.toContain("unsafe-eval");
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) if (!/\bsrc=/.test(tag)) expect(tag).toContain(`nonce="${nonce}"`);
    expect(first.headers.get("x-frame-options")).toBe("DENY");
    expect(first.headers.get("referrer-policy")).toBe("same-origin");
    // Plain http: no HSTS (it would pin a name that has no certificate).
    expect(first.headers.get("strict-transport-security")).toBeNull();
    const second = await fetch(`${base}/login`);
    expect(second.headers.get("content-security-policy")).not.toContain(nonce);
  });

  it("answers Origin: null with 403 in Chinese, not 500", async () => {
    const response = await fetch(`${base}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: "null", "Content-Type": "application/x-www-form-urlencoded" },
      body: form({ email: "a@b.cn", password: "x" }),
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("来源不明");
  });

  it("ignores X-Forwarded-Host with TRUST_PROXY=0: a forged host does not make a cross-site post same-origin", async () => {
    const response = await fetch(`${base}/login`, {
      method: "POST",
      redirect: "manual",
      headers: {
        Origin: "http://evil.example",
        "X-Forwarded-Host": "evil.example",
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: form({ email: "a@b.cn", password: "x" }),
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("跨站");
  });

  it("keeps the sign-in redirect on the portal: tab and newline targets go home, never 500", async () => {
    const { email, password } = demoAccount("staff");
    for (const redirectTo of ["/\t/evil.example/", "/staff\n", "/%0d%0aSet-Cookie:x=1"]) {
      const response = await fetch(`${base}/login?redirectTo=${encodeURIComponent(redirectTo)}`, {
        method: "POST",
        redirect: "manual",
        headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
        body: form({ email, password, redirectTo }),
      });
      expect(response.status).toBe(302);
      const location = response.headers.get("location") ?? "";
      expect(location.startsWith("/") && !location.startsWith("//")).toBe(true);
      expect(location).not.toContain("evil");
    }
  });

  it("R-PAY-3 the demo has one administrator, whose home is account management", async () => {
    const { email, password } = demoAccount("admin");
    const response = await fetch(`${base}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
      body: form({ email, password }),
    });
    expect(response.headers.get("location")).toBe("/admin/users");
    const cookie = response.headers.get("set-cookie")?.split(";")[0] ?? "";
    const page = await fetch(`${base}/admin/users`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("账号管理");
    expect((await fetch(`${base}/staff/payouts`, { headers: { Cookie: cookie }, redirect: "manual" })).status).toBe(
      403,
    );
  });
});
