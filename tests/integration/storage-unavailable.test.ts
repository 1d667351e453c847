/**
 * A disk that refuses writes (read-only, full, no permission) is the machine's state, not the user's
 * mistake: the folder store reports it as StorageUnavailableError with a Chinese message and no path,
 * and a page's upload answers 503 with that message. The refusing folder is made with `chattr +i`
 * (immutable: even root gets EPERM); where the machine does not allow that, the test says so and skips.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { parseFormWithUploads } from "~/services/multipart.server.ts";
import { FolderStore, type ObjectStore, StorageUnavailableError } from "~/services/storage.server.ts";

import { makePdf } from "../utils/files.ts";
import { TMP } from "../utils/test-database.ts";

const root = path.join(TMP, `refusing-store-${process.pid}`);
/** Makes the folder immutable; true when the machine allows it. */
const refuseWrites = (folder: string) => {
  fs.mkdirSync(folder, { recursive: true });
  return spawnSync("chattr", ["+i", folder]).status === 0;
};
const allowWrites = (folder: string) => {
  spawnSync("chattr", ["-i", folder]);
  fs.rmSync(folder, { recursive: true, force: true });
};
// Probed on a scratch folder and undone at once: listing or filtering the tests leaves no immutable folder
// behind (one left in the run folder would make the next run's clean-up fail).
const probe = `${root}-probe`;
const immutable = refuseWrites(probe);
allowWrites(probe);
if (!immutable) console.warn("storage-unavailable: chattr +i is not allowed here; skipping");

describe.skipIf(!immutable)("a store that cannot write", () => {
  let before: ObjectStore | undefined;
  beforeAll(() => {
    expect(refuseWrites(root)).toBe(true);
    before = globalThis.__subsidyPortalStore;
    globalThis.__subsidyPortalStore = new FolderStore(root);
  });
  // The server's log keeps the cause with its path: asserted, then cleared for the setup's check.
  afterEach(() => {
    const logged = vi.mocked(console.error).mock.calls.map((c) => c.map(String).join(" "));
    expect(logged).toEqual([expect.stringContaining(root)]);
    vi.mocked(console.error).mockClear();
  });
  afterAll(() => {
    globalThis.__subsidyPortalStore = before;
    allowWrites(root);
  });

  it("is reported as StorageUnavailableError, in Chinese and without the path", async () => {
    const store: ObjectStore = new FolderStore(root);
    const failure = await store
      .put("materials/2026-11/a", Readable.from([Buffer.from("x")]), "application/pdf")
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StorageUnavailableError);
    const error = failure instanceof Error ? failure : new Error("none");
    expect(error.message).toContain("文件存储暂时不可用");
    expect(error.message).not.toContain(root);
    expect(error.cause).toMatchObject({ code: "EPERM" });
  });

  it("turns a page's upload into a 503 with the Chinese message", async () => {
    const form = new FormData();
    form.set("intent", "save");
    form.set("license", new Blob([Buffer.from(await makePdf("licence"))], { type: "application/pdf" }), "执照.pdf");
    const request = new Request("http://portal.test/register", { method: "POST", body: form });
    const failure = await parseFormWithUploads(request, { license: { purpose: "licences" } }, null).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(Response);
    const response = failure instanceof Response ? failure : new Response();
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(text).toContain("文件存储暂时不可用");
    expect(text).not.toContain(root);
  });
});
