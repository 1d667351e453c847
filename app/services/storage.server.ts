/**
 * Object storage behind one interface with two drivers: a folder under DATA_DIR (default) and an
 * S3-compatible store (when S3_ENDPOINT/S3_BUCKET are set). Bodies stream through; nothing holds a whole
 * file in memory. Keys are made by the portal, never from user input.
 */
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { fileTypeFromBuffer } from "file-type";

import { stripInvisibleCharacters } from "~/domain/text.ts";
import { env } from "~/utils/env.server.ts";

export interface ObjectStore {
  readonly kind: "folder" | "s3";
  put(key: string, body: Readable, contentType: string): Promise<void>;
  get(key: string): Promise<Readable>;
  delete(key: string): Promise<void>;
  /** Throws when the store cannot be reached or written (readiness check, /readyz). */
  checkReachable(): Promise<void>;
}

/** Why a write to the folder store can fail that is the machine's state, not the request's. */
const UNAVAILABLE_CODES = new Set(["EACCES", "EPERM", "ENOSPC", "EROFS", "EDQUOT"]);

/**
 * The store cannot write (disk full, read-only, no permission): the user is told in Chinese that the
 * file was not saved, with a 503, and the path stays in the server's log.
 */
export class StorageUnavailableError extends Error {
  constructor(cause: unknown) {
    super("文件存储暂时不可用（服务器磁盘已满或不可写），文件未保存。请稍后重试；如问题持续，请联系区工信局。", {
      cause,
    });
    this.name = "StorageUnavailableError";
  }
}

function unavailable(error: unknown): boolean {
  if (!(error instanceof Error) || !("code" in error)) return false;
  return typeof error.code === "string" && UNAVAILABLE_CODES.has(error.code);
}

export class FolderStore implements ObjectStore {
  readonly kind = "folder";
  constructor(private readonly root: string) {}
  private pathOf(key: string) {
    if (!/^[a-z0-9][a-z0-9/_.-]*$/i.test(key) || key.includes("..")) throw new Error(`invalid storage key ${key}`);
    return path.join(this.root, key);
  }
  async put(key: string, body: Readable) {
    const target = this.pathOf(key);
    const partial = `${target}.${randomUUID()}.part`;
    try {
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await pipeline(body, fs.createWriteStream(partial));
      await fs.promises.rename(partial, target);
    } catch (error) {
      await fs.promises.rm(partial, { force: true }).catch(() => {});
      if (!unavailable(error)) throw error;
      console.error("folder store cannot write:", error);
      throw new StorageUnavailableError(error);
    }
  }
  async get(key: string) {
    const target = this.pathOf(key);
    await fs.promises.access(target);
    return fs.createReadStream(target);
  }
  async delete(key: string) {
    await fs.promises.rm(this.pathOf(key), { force: true });
  }
  /**
   * Removes the `*.part` files of uploads that never finished (a process killed mid-upload) once they are
   * older than `olderThanMs`; a part file in use is younger. Returns how many were removed.
   */
  async removeStaleParts(olderThanMs: number, at = Date.now()): Promise<number> {
    let removed = 0;
    const walk = async (dir: string) => {
      const entries = await fs.promises.readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.name.endsWith(".part")) {
          const stat = await fs.promises.stat(full).catch(() => null);
          if (stat && at - stat.mtimeMs > olderThanMs) {
            await fs.promises.rm(full, { force: true });
            removed++;
          }
        }
      }
    };
    await walk(this.root);
    return removed;
  }
  async checkReachable() {
    await fs.promises.mkdir(this.root, { recursive: true });
    await fs.promises.access(this.root, fs.constants.W_OK);
  }
}

export type S3Options = {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
};

export class S3Store implements ObjectStore {
  readonly kind = "s3";
  private readonly client: S3Client;
  constructor(private readonly options: S3Options) {
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }
  /** Creates the bucket when it does not exist (tests and first runs). */
  async ensureBucket() {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.options.bucket }));
    } catch {
      await this.client.send(new CreateBucketCommand({ Bucket: this.options.bucket }));
    }
  }
  async put(key: string, body: Readable, contentType: string) {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.options.bucket, Key: key, Body: body, ContentType: contentType },
      // At most queueSize × partSize (20 MB) is buffered, whatever the file's size.
      queueSize: 4,
      partSize: 5 * 1024 * 1024,
    });
    await upload.done();
  }
  async get(key: string) {
    const result = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
    if (!(result.Body instanceof Readable)) throw new Error(`no body for ${key}`);
    return result.Body;
  }
  async delete(key: string) {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
  }
  async checkReachable() {
    await this.client.send(new HeadBucketCommand({ Bucket: this.options.bucket }));
  }
  destroy() {
    this.client.destroy();
  }
}

declare global {
  // One store per process, shared by the server script and the Remix build.
  var __subsidyPortalStore: ObjectStore | undefined;
}

/** The configured store of this process. */
export function objectStore(): ObjectStore {
  if (globalThis.__subsidyPortalStore) return globalThis.__subsidyPortalStore;
  const e = env();
  globalThis.__subsidyPortalStore =
    e.S3_ENDPOINT && e.S3_BUCKET && e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY
      ? new S3Store({
          endpoint: e.S3_ENDPOINT,
          bucket: e.S3_BUCKET,
          region: e.S3_REGION,
          accessKeyId: e.S3_ACCESS_KEY_ID,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY,
          forcePathStyle: e.S3_FORCE_PATH_STYLE,
        })
      : new FolderStore(path.resolve(e.DATA_DIR, "files"));
  return globalThis.__subsidyPortalStore;
}

// ---------------------------------------------------------------------------------------------------
// Checked uploads (R-MAT-3): type by content, size limits, SHA-256, a key the portal makes.

export const ACCEPTED_TYPES = {
  "application/pdf": "PDF",
  "image/jpeg": "JPEG",
  "image/png": "PNG",
} as const;
export type AcceptedType = keyof typeof ACCEPTED_TYPES;

export class UploadRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UploadRejectedError";
  }
}

/** The file passed the size limit: the request is answered 413 at once (nothing more of it is read here). */
export class UploadTooLargeError extends UploadRejectedError {
  constructor(message: string) {
    super(message);
    this.name = "UploadTooLargeError";
  }
}

export type StoredObject = { key: string; fileName: string; contentType: AcceptedType; size: number; sha256: string };

function isAccepted(mime: string, accepted: readonly AcceptedType[]): mime is AcceptedType {
  return accepted.some((type) => type === mime);
}

/** A display name without any path and within a sane length; the storage key never uses it. */
/**
 * The name a file is stored and shown under: its last path segment, without control, bidirectional and
 * zero-width characters (`photo\u202Egpj.exe` would show as `photoexe.jpg`), at most 120 characters.
 */
export function cleanFileName(raw: string): string {
  const base = stripInvisibleCharacters(raw).split(/[\\/]/).pop() ?? "";
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, "").trim() || "未命名文件";
  if (cleaned.length <= 120) return cleaned;
  const dot = cleaned.lastIndexOf(".");
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : "";
  return cleaned.slice(0, 120 - ext.length) + ext;
}

const HEAD_BYTES = 4100;

/** The chunks of a web stream (a request body) as they arrive. */
export async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** A Buffer view of the same bytes (no copy). */
function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Streams one upload into the store: sniffs the type from the first bytes before anything is stored,
 * counts and hashes on the way, refuses empty, oversized, truncated-PDF and wrong-type files with a
 * Chinese message, and deletes whatever was written when it refuses.
 */
export async function storeUpload(options: {
  body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  fileName: string;
  purpose: string;
  accepted?: readonly AcceptedType[];
  maxBytes?: number;
  store?: ObjectStore;
}): Promise<StoredObject> {
  const accepted = options.accepted ?? ["application/pdf", "image/jpeg", "image/png"];
  const maxBytes = options.maxBytes ?? env().maxUploadBytes;
  const store = options.store ?? objectStore();
  const fileName = cleanFileName(options.fileName);
  const body = options.body;
  const iterator: AsyncIterator<Uint8Array> | Iterator<Uint8Array> =
    Symbol.asyncIterator in body ? body[Symbol.asyncIterator]() : body[Symbol.iterator]();

  const headChunks: Buffer[] = [];
  let headLength = 0;
  let exhausted = false;
  while (headLength < HEAD_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      exhausted = true;
      break;
    }
    const chunk = asBuffer(next.value);
    headChunks.push(chunk);
    headLength += chunk.length;
  }
  const head = Buffer.concat(headChunks);
  if (head.length === 0) throw new UploadRejectedError(`文件“${fileName}”是空文件（0 字节），请重新选择。`);
  const sniffed = await fileTypeFromBuffer(head);
  const allowedNames = accepted.map((t) => ACCEPTED_TYPES[t]).join("、");
  if (!sniffed || !isAccepted(sniffed.mime, accepted)) {
    throw new UploadRejectedError(
      `文件“${fileName}”的实际内容不是 ${allowedNames} 格式${sniffed ? `（检测为 ${sniffed.ext.toUpperCase()}）` : ""}，请上传 ${allowedNames} 文件。`,
    );
  }
  const contentType = sniffed.mime;

  const hash = createHash("sha256");
  let size = 0;
  let tail = Buffer.alloc(0);
  let tooLarge = false;
  async function* checked(): AsyncGenerator<Buffer> {
    const pass = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        throw new UploadRejectedError("too large");
      }
      hash.update(chunk);
      tail = chunk.length >= 1024 ? Buffer.from(chunk.subarray(-1024)) : Buffer.concat([tail, chunk]).subarray(-1024);
      return chunk;
    };
    yield pass(head);
    if (exhausted) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield pass(asBuffer(next.value));
    }
  }

  const key = `${options.purpose}/${new Date().toISOString().slice(0, 7)}/${randomUUID()}`;
  const limitMessage = `文件“${fileName}”超过大小上限 ${Math.round(maxBytes / 1024 / 1024)} MB，请压缩或拆分后上传。`;
  try {
    await store.put(key, Readable.from(checked()), contentType);
  } catch (error) {
    await store.delete(key).catch(() => {});
    // Not drained here: the server reads a bounded remainder and closes the connection (upload-limit.server.ts).
    if (tooLarge) throw new UploadTooLargeError(limitMessage);
    throw error;
  }
  if (contentType === "application/pdf" && !tail.includes("%%EOF")) {
    await store.delete(key);
    throw new UploadRejectedError(
      `文件“${fileName}”不是完整的 PDF（文件末尾缺失，可能上传中断或文件已损坏），请重新导出后上传。`,
    );
  }
  return { key, fileName, contentType, size, sha256: hash.digest("hex") };
}
