/**
 * The storage interface against its two drivers: the folder store and a real S3 API server.
 * R-MAT-3: types by content, size limits, SHA-256; nothing stored under a user-controlled path.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { type Readable } from "node:stream";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { FolderStore, type ObjectStore, S3Store, storeUpload, UploadRejectedError } from "~/services/storage.server.ts";

import { makeJpeg, makePdf, makePng } from "../utils/files.ts";
import { startS3 } from "../utils/s3-server.ts";
import { TMP } from "../utils/test-database.ts";

async function readAll(stream: Readable) {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

function chunked(bytes: Uint8Array, size = 64 * 1024): AsyncIterable<Uint8Array> {
  return (async function* () {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  })();
}

type Driver = { name: string; store: ObjectStore; stop: () => Promise<void> };

const drivers: (() => Promise<Driver>)[] = [
  async () => {
    const root = fs.mkdtempSync(path.join(TMP, "data-files-"));
    return {
      name: "folder",
      store: new FolderStore(root),
      stop: async () => fs.rmSync(root, { recursive: true, force: true }),
    };
  },
  async () => {
    const s3 = await startS3();
    const store = new S3Store({
      endpoint: s3.endpoint,
      bucket: "portal-test",
      region: "us-east-1",
      accessKeyId: "S3RVER",
      secretAccessKey: "S3RVER",
      forcePathStyle: true,
    });
    await store.ensureBucket();
    return {
      name: "s3",
      store,
      stop: async () => {
        store.destroy();
        await s3.stop();
      },
    };
  },
];

describe.each(drivers.map((make, i) => [i === 0 ? "folder" : "s3", make] as const))(
  "storage: %s driver",
  (_name, make) => {
    let driver: Driver;
    beforeAll(async () => {
      driver = await make();
    });
    afterAll(async () => {
      await driver.stop();
    });

    const upload = (
      bytes: Uint8Array,
      fileName: string,
      extra: { maxBytes?: number; accepted?: ("application/pdf" | "image/jpeg" | "image/png")[] } = {},
    ) => storeUpload({ body: chunked(bytes), fileName, purpose: "materials", store: driver.store, ...extra });

    it("R-MAT-3 stores a PDF, a PNG and a JPEG with type by content, size and SHA-256, and reads them back", async () => {
      for (const [bytes, name, type] of [
        [await makePdf("report"), "报告.pdf", "application/pdf"],
        [await makePng(), "现场照片.png", "image/png"],
        [await makeJpeg(), "photo.JPG", "image/jpeg"],
      ] as const) {
        const stored = await upload(bytes, name);
        expect(stored.contentType).toBe(type);
        expect(stored.size).toBe(bytes.length);
        expect(stored.sha256).toBe(crypto.createHash("sha256").update(bytes).digest("hex"));
        expect(stored.fileName).toBe(name);
        expect(stored.key).toMatch(/^materials\/\d{4}-\d{2}\/[0-9a-f-]{36}$/);
        expect(Buffer.compare(await readAll(await driver.store.get(stored.key)), Buffer.from(bytes))).toBe(0);
      }
    });

    it("R-MAT-3 refuses by content: an executable or HTML named .pdf, an image where only PDF is accepted, an empty file", async () => {
      const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(5000, 1)]);
      await expect(upload(elf, "report.pdf")).rejects.toThrow(/不是 PDF、JPEG、PNG 格式/);
      await expect(upload(Buffer.from("<html><body>hi</body></html>"), "report.pdf")).rejects.toThrow(
        UploadRejectedError,
      );
      await expect(upload(await makePng(), "report.pdf", { accepted: ["application/pdf"] })).rejects.toThrow(
        /检测为 PNG/,
      );
      await expect(upload(new Uint8Array(0), "empty.pdf")).rejects.toThrow(/空文件/);
    });

    it("R-MAT-3 refuses a truncated PDF and a file over the limit, and leaves nothing behind", async () => {
      const pdf = await makePdf("long", 30);
      await expect(upload(pdf.subarray(0, Math.floor(pdf.length / 2)), "cut.pdf")).rejects.toThrow(/不是完整的 PDF/);
      await expect(upload(pdf, "big.pdf", { maxBytes: 1000 })).rejects.toThrow(/超过大小上限/);
    });

    it("R-MAT-3 never uses the file name for the key; names with path separators or 300 characters are cleaned for display", async () => {
      const stored = await upload(await makePdf("x"), "../../etc/passwd/..\\evil.pdf");
      expect(stored.fileName).toBe("evil.pdf");
      expect(stored.key).not.toContain("evil");
      const long = await upload(await makePdf("y"), `${"长".repeat(300)}.pdf`);
      expect(long.fileName.length).toBeLessThanOrEqual(120);
      expect(long.fileName.endsWith(".pdf")).toBe(true);
    });

    it("strips bidirectional and zero-width characters from file names at upload (photo\\u202Egpj.exe)", async () => {
      const stored = await upload(await makeJpeg(), "photo\u202Egpj\u200B.jpg");
      expect(stored.fileName).toBe("photogpj.jpg");
      const disguised = await upload(await makePdf("z"), "\u2067报告\u2069\uFEFF.pdf");
      expect(disguised.fileName).toBe("报告.pdf");
    });

    it("streams a large upload (128 MB) without holding it in memory", async () => {
      const size = 128 * 1024 * 1024;
      const header = Buffer.from("%PDF-1.7\n");
      const trailer = Buffer.from("\n%%EOF\n");
      const hash = crypto.createHash("sha256");
      async function* body() {
        yield header;
        hash.update(header);
        const block = Buffer.alloc(1024 * 1024, 0x20);
        for (let sent = header.length + trailer.length; sent < size; sent += block.length) {
          const piece = block.subarray(0, Math.min(block.length, size - sent));
          hash.update(piece);
          yield piece;
        }
        hash.update(trailer);
        yield trailer;
      }
      const before = process.memoryUsage().rss;
      const stored = await storeUpload({
        body: body(),
        fileName: "big.pdf",
        purpose: "materials",
        store: driver.store,
        maxBytes: 256 * 1024 * 1024,
      });
      const growth = process.memoryUsage().rss - before;
      expect(stored.size).toBe(size);
      expect(stored.sha256).toBe(hash.digest("hex"));
      // The S3 server runs inside this test process and keeps parts in memory itself, so only the folder
      // driver's growth says something here; `npm run bench:upload` measures the portal's own process.
      if (driver.store.kind === "folder") expect(growth).toBeLessThan(64 * 1024 * 1024);
      await driver.store.delete(stored.key);
    });
  },
);
