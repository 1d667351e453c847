/**
 * The embedded database on a thread of its own (pglite-worker.server.ts holds it): the request thread
 * sees a Prisma driver adapter and a direct row reader, as it does for PostgreSQL, and each call becomes
 * a message to the database's thread. PGlite executes queries synchronously: on the request thread, a
 * page's queries stopped every other page while they ran. Behind the thread they use the machine's other
 * core, and the request thread only renders (npm run bench:desk: the desk list at 20 clients went from
 * 3.3 × the login page's p95 to the figure in README decision 24).
 *
 * Semantics are PGlite's: one connection, so an open transaction makes every other query wait for it.
 */
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

import {
  type ConnectionInfo,
  DriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
  type TransactionOptions,
} from "@prisma/driver-adapter-utils";

import { logError } from "../services/logger.server.ts";
import type { DirectQuery, RowReader } from "./database-adapter.server.ts";

/** What the request thread asks of the database's thread. */
export type PGliteRequest = { id: number } & (
  | { op: "queryRaw" | "executeRaw"; tx?: number; query: SqlQuery }
  | { op: "executeScript"; script: string }
  | { op: "startTransaction"; isolationLevel?: IsolationLevel }
  | { op: "commit" | "rollback"; tx: number }
  | ({ op: "directRows" } & DirectQuery)
  | { op: "close" }
);
/** An error as it crosses between the threads. */
export type SerializedError = { name: string; message: string; stack?: string; code?: string; cause?: object };
export type PGliteResponse =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };
type Ready =
  { ready: true; adapterName: string; connectionInfo?: ConnectionInfo } | { ready: false; error: SerializedError };

/** The error the database's thread threw, as the request thread would have seen it thrown in place. */
function revive(serialized: SerializedError): Error {
  const error =
    serialized.name === "DriverAdapterError" && serialized.cause
      ? new DriverAdapterError(serialized.cause as ConstructorParameters<typeof DriverAdapterError>[0])
      : Object.assign(new Error(serialized.message), { name: serialized.name });
  if (serialized.code !== undefined) Object.assign(error, { code: serialized.code });
  error.stack = `${error.name}: ${error.message}\n    (in the embedded database's thread)\n${serialized.stack ?? ""}`;
  return error;
}

/**
 * tsx's ESM loader API as a file URL (its package's exports, import condition): its CommonJS build cannot
 * register the loader from a worker.
 */
function tsxLoader(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve("tsx/package.json");
  const exports = (require(manifest) as { exports: Record<string, { import: { default: string } }> }).exports;
  const file = exports["./esm/api"]?.import.default;
  if (!file) throw new Error("tsx has no ./esm/api export");
  return new URL(file, pathToFileURL(manifest)).href;
}

type Request = PGliteRequest extends infer R ? (R extends PGliteRequest ? Omit<R, "id"> : never) : never;

export type PGliteThread = {
  adapter: SqlDriverAdapterFactory;
  directRows: RowReader;
  close: () => Promise<void>;
};

/**
 * Starts the database's thread on the PGlite folder `dir` and resolves once the database is open.
 * The thread is a TypeScript module: it loads tsx's loader first (worker threads do not inherit it).
 */
export async function openPGliteThread(dir: string): Promise<PGliteThread> {
  const entry = fileURLToPath(new URL("./pglite-worker.server.ts", import.meta.url));
  const worker = new Worker(
    `const { workerData } = require("node:worker_threads");
     import(workerData.loader).then(({ register }) => { register(); return import(workerData.entry); });`,
    { eval: true, workerData: { dir, entry: pathToFileURL(entry).href, loader: tsxLoader() } },
  );
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let stopped: Error | undefined;

  const ready = await new Promise<Extract<Ready, { ready: true }>>((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`the embedded database's thread exited (${code})`));
    worker.once("error", reject);
    worker.once("exit", onExit);
    worker.once("message", (message: Ready) => {
      worker.off("error", reject);
      worker.off("exit", onExit);
      if (message.ready) resolve(message);
      else reject(revive(message.error));
    });
  });

  worker.on("message", (response: PGliteResponse) => {
    const waiting = pending.get(response.id);
    if (!waiting) return;
    pending.delete(response.id);
    if (response.ok) waiting.resolve(response.value);
    else waiting.reject(revive(response.error));
  });
  let closing = false;
  const fail = (error: Error) => {
    // Unasked, the database is gone for this process: /readyz reports it, and the log says why.
    if (!closing && !stopped) logError(error, "the embedded database's thread stopped");
    stopped = error;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  worker.on("error", (error) => fail(error));
  worker.on("exit", (code) => fail(new Error(`the embedded database's thread exited (${code})`)));

  function call<T>(request: Request): Promise<T> {
    if (stopped) return Promise.reject(stopped);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id });
    });
  }

  const info = { provider: "postgres" as const, adapterName: ready.adapterName };
  const queryable = (tx?: number) => ({
    ...info,
    queryRaw: (query: SqlQuery) => call<SqlResultSet>({ op: "queryRaw", tx, query }),
    executeRaw: (query: SqlQuery) => call<number>({ op: "executeRaw", tx, query }),
  });
  const connection: SqlDriverAdapter = {
    ...queryable(),
    executeScript: (script) => call<void>({ op: "executeScript", script }),
    async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
      const started = await call<{ id: number; options: TransactionOptions }>({
        op: "startTransaction",
        isolationLevel,
      });
      return {
        ...queryable(started.id),
        options: started.options,
        commit: () => call<void>({ op: "commit", tx: started.id }),
        rollback: () => call<void>({ op: "rollback", tx: started.id }),
      };
    },
    getConnectionInfo: () => ready.connectionInfo ?? { supportsRelationJoins: true },
    dispose: async () => {},
  };

  return {
    adapter: { ...info, connect: async () => connection },
    directRows: (query) => call<Record<string, unknown>[]>({ op: "directRows", ...query }),
    async close() {
      closing = true;
      if (!stopped) await call<void>({ op: "close" });
      await worker.terminate();
    },
  };
}
