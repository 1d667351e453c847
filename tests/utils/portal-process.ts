/**
 * The built portal as a separate process (scripts/server.ts in production mode), as an operator runs it:
 * its output is kept (the JSON log lines parsed), and it is stopped with SIGTERM or killed after the test.
 * Needs a production build (`npx remix build`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = address && typeof address === "object" ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

export type Portal = {
  port: number;
  url: string;
  child: ChildProcess;
  output: () => string;
  /** The JSON lines the process wrote (other lines skipped). */
  logLines: () => LogLine[];
  exited: Promise<number | null>;
  stop: () => Promise<number | null>;
};

const running = new Set<ChildProcess>();

export async function startPortal(env: Record<string, string>, options: { port?: number } = {}): Promise<Portal> {
  const port = options.port ?? (await freePort());
  // node itself with tsx as a loader (not the tsx CLI, which runs the server in a child that a kill of
  // the CLI would leave running).
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/server.ts"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const logLines = () =>
    output
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .flatMap((line): LogLine[] => {
        try {
          return [JSON.parse(line)];
        } catch {
          return [];
        }
      });
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    logLines,
    exited,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** Waits until /healthz answers; fails with the process's output when it does not. */
export async function waitForHealth(portal: Portal, timeoutMs = 90_000): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (portal.child.exitCode !== null)
      throw new Error(`portal exited with ${portal.child.exitCode}:\n${portal.output()}`);
    try {
      const response = await fetch(`${portal.url}/healthz`);
      if (response.ok) return Date.now() - start;
    } catch {
      // not yet
    }
    if (Date.now() - start > timeoutMs) throw new Error(`portal did not start:\n${portal.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Kills whatever is still running (afterAll). */
export function killPortals() {
  for (const child of running) child.kill("SIGKILL");
}
