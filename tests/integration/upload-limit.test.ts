/**
 * Oversize uploads (issue 17): 413 as soon as the declared or counted size passes the limit, then the
 * connection is closed after a bounded drain, however long the client keeps sending; `*.part` files left
 * by killed uploads are removed when older than an hour. Against the built portal, over raw sockets.
 */
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { killPortals, type Portal, startPortal, waitForHealth } from "../utils/portal-process.ts";
import { useFreshDatabase } from "../utils/test-database.ts";

let portal: Portal;
let dataDir: string;
const stalePart = () => path.join(dataDir, "files", "materials", "2026-11", "old.pdf.1234.part");
const freshPart = () => path.join(dataDir, "files", "materials", "2026-11", "new.pdf.5678.part");

beforeAll(async () => {
  const fresh = await useFreshDatabase("postgres");
  dataDir = fresh.dataDir;
  fs.mkdirSync(path.dirname(stalePart()), { recursive: true });
  fs.writeFileSync(stalePart(), Buffer.alloc(1000));
  fs.writeFileSync(freshPart(), Buffer.alloc(1000));
  const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60_000);
  fs.utimesSync(stalePart(), twoHoursAgo, twoHoursAgo);
  portal = await startPortal({
    DATABASE_URL: fresh.url ?? "",
    DATA_DIR: dataDir,
    SESSION_SECRET: "upload-limit-test-session-secret-0123456789",
    DEMO: "0",
    MAX_UPLOAD_MB: "1",
  });
  await waitForHealth(portal);
});
afterAll(() => killPortals());

type Exchange = { response: string; bytesSent: number; closed: boolean; msToResponse: number };

/**
 * Sends `head`, then keeps sending `chunk`s (up to `maxBytes`) until the server closes the connection;
 * returns what the server answered and how much it let through.
 */
async function send(
  head: string,
  options: { chunk?: (i: number) => Buffer; maxBytes: number; waitForResponseFirst?: boolean },
): Promise<Exchange> {
  const socket = net.connect(portal.port, "127.0.0.1");
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  const started = Date.now();
  let response = "";
  let msToResponse = -1;
  let closed = false;
  socket.on("data", (d: Buffer) => {
    if (msToResponse < 0) msToResponse = Date.now() - started;
    response += d.toString();
  });
  const ended = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  socket.on("error", () => {});
  socket.once("close", () => (closed = true));
  socket.write(head);
  // The answer must come before any byte of the body: wait for its first bytes (or the close), not a fixed time.
  if (options.waitForResponseFirst) await Promise.race([new Promise((r) => socket.once("data", r)), ended]);
  let bytesSent = 0;
  const chunk = options.chunk ?? (() => Buffer.alloc(64 * 1024, 0x41));
  for (let i = 0; !closed && bytesSent < options.maxBytes; i++) {
    const data = chunk(i);
    const flushed = socket.write(data);
    bytesSent += data.length;
    if (!flushed)
      await Promise.race([new Promise((r) => socket.once("drain", r)), ended, new Promise((r) => setTimeout(r, 2000))]);
  }
  await Promise.race([ended, new Promise((r) => setTimeout(r, 10_000))]);
  socket.destroy();
  return { response, bytesSent, closed, msToResponse };
}

const origin = () => `http://127.0.0.1:${portal.port}`;

describe("upload limits", () => {
  it("answers a declared 600 MB body with 413 before reading it, and closes the connection after a bounded drain", async () => {
    const head =
      `POST /register HTTP/1.1\r\nHost: 127.0.0.1:${portal.port}\r\nOrigin: ${origin()}\r\n` +
      `Content-Type: multipart/form-data; boundary=x\r\nContent-Length: ${600 * 1024 * 1024}\r\n\r\n`;
    const result = await send(head, { maxBytes: 600 * 1024 * 1024 });
    expect(result.response).toMatch(/^HTTP\/1\.1 413/);
    expect(result.response).toContain("超过大小上限 1 MB");
    expect(result.closed).toBe(true);
    // What got through: the drain (1 MB) plus socket buffers, not the 600 MB.
    expect(result.bytesSent).toBeLessThan(40 * 1024 * 1024);
  });

  it("refuses before the body is sent when the client asks first (Expect: 100-continue)", async () => {
    const head =
      `POST /resources/applications/x/materials?material=M8 HTTP/1.1\r\nHost: 127.0.0.1:${portal.port}\r\nOrigin: ${origin()}\r\n` +
      `Content-Type: application/pdf\r\nExpect: 100-continue\r\nContent-Length: ${200 * 1024 * 1024}\r\n\r\n`;
    const result = await send(head, { maxBytes: 0, waitForResponseFirst: true });
    expect(result.response).toMatch(/^HTTP\/1\.1 413/);
    expect(result.response).not.toContain("100 Continue");
    expect(JSON.parse(result.response.slice(result.response.indexOf("\r\n\r\n") + 4))).toMatchObject({
      ok: false,
      error: expect.stringContaining("1 MB"),
    });
  });

  it("counts an undeclared (chunked) upload: 413 once the file passes the limit, then closes", async () => {
    const head =
      `POST /register HTTP/1.1\r\nHost: 127.0.0.1:${portal.port}\r\nOrigin: ${origin()}\r\n` +
      `Content-Type: multipart/form-data; boundary=XyZ\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const frame = (data: Buffer) =>
      Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from("\r\n")]);
    const partHead = Buffer.from(
      `--XyZ\r\nContent-Disposition: form-data; name="license"; filename="licence.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`,
    );
    const result = await send(head, {
      chunk: (i) => frame(i === 0 ? partHead : Buffer.alloc(64 * 1024, 0x20)),
      maxBytes: 300 * 1024 * 1024,
    });
    expect(result.response).toMatch(/^HTTP\/1\.1 413/);
    expect(result.closed).toBe(true);
    expect(result.bytesSent).toBeLessThan(40 * 1024 * 1024);
  });

  it("removes *.part files older than an hour at start, keeps younger ones", async () => {
    await expect.poll(() => fs.existsSync(stalePart())).toBe(false);
    expect(fs.existsSync(freshPart())).toBe(true);
    expect(portal.logLines().find((l) => l.job === "remove-stale-parts")).toMatchObject({ removed: 1 });
  });
});
