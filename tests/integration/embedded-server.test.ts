/**
 * The README's first command on the embedded default, for real: the built portal starts on PGlite in a
 * fresh data folder, migrates, seeds the 2022 round and the demo round with demo accounts, serves pages
 * in Chinese; a second process on the same folder is refused; a restart keeps the data.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { TMP } from "../utils/test-database.ts";

const root = path.resolve(import.meta.dirname, "..", "..");
const dataDir = path.join(TMP, `data-embedded-${process.pid}`);

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

function startPortal(port: number) {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/server.ts"], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: "",
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      DEMO: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

// A cold start loads the demo scenario (seeds/demo-scenario.server.ts) through the models: tens of seconds on a busy machine.
async function waitForHealth(port: number, portal: { output: () => string }, timeoutMs = 180_000) {
  const start = Date.now();
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return Date.now() - start;
    } catch {
      // not yet
    }
    if (Date.now() - start > timeoutMs) throw new Error(`portal did not start:\n${portal.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const running: ChildProcess[] = [];
afterAll(() => {
  for (const child of running) child.kill("SIGKILL");
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("the embedded default (npm start)", () => {
  it("starts on a fresh data folder, seeds, serves Chinese pages, refuses a second process, keeps data on restart", async () => {
    const port = await freePort();
    const first = startPortal(port);
    running.push(first.child);
    const startupMs = await waitForHealth(port, first);
    console.log(`embedded cold start (fresh folder, migrations, seed): ${startupMs} ms`);

    const home = await fetch(`http://127.0.0.1:${port}/`);
    const html = await home.text();
    expect(home.status).toBe(200);
    expect(html).toContain("智能化改造咨询诊断补助申报平台");
    expect(html).toContain("演示");
    expect(html).toContain('lang="zh-CN"');

    // Demo accounts are printed once and kept in the data folder; none has a password fixed in the code.
    expect(first.output()).toContain("演示账号");
    const accounts = fs.readFileSync(path.join(dataDir, "demo-accounts.txt"), "utf8").trim().split("\n");
    expect(accounts.map((l) => l.split("\t")[0]).sort()).toEqual(["admin", "approver", "expert", "provider", "staff"]);
    const [, email = "", password = ""] = accounts.find((l) => l.startsWith("staff\t"))?.split("\t") ?? [];

    const login = await fetch(`http://127.0.0.1:${port}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: `http://127.0.0.1:${port}` },
      body: new URLSearchParams({ email, password }),
    });
    expect(login.status).toBe(302);
    const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
    const rounds = await fetch(`http://127.0.0.1:${port}/staff/rounds`, { headers: { Cookie: cookie } });
    const roundsHtml = await rounds.text();
    expect(rounds.status).toBe(200);
    expect(roundsHtml).toContain("2022年智能化改造咨询诊断工程专项资金补助");
    expect(roundsHtml).toContain("2022-12-20 23:59");

    // A cross-site form post is refused.
    const forged = await fetch(`http://127.0.0.1:${port}/logout`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookie, Origin: "https://evil.example" },
    });
    expect(forged.status).toBe(403);

    // A second process on the same folder refuses with a clear message instead of corrupting it.
    const second = startPortal(await freePort());
    running.push(second.child);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain("正被另一个进程");

    // SIGTERM closes the database and exits; a restart keeps the data and prints no new passwords.
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    const again = startPortal(port);
    running.push(again.child);
    const warmMs = await waitForHealth(port, again);
    console.log(`embedded restart on existing data: ${warmMs} ms`);
    expect(again.output()).not.toContain("演示账号");
    const relogin = await fetch(`http://127.0.0.1:${port}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: `http://127.0.0.1:${port}` },
      body: new URLSearchParams({ email, password }),
    });
    expect(relogin.status).toBe(302);
    again.child.kill("SIGTERM");
    expect(await again.exited).toBe(0);
  }, 420_000);
});
