/**
 * The embedded database's own thread (pglite-thread.server.ts `openPGliteThread` starts it). PGlite
 * runs PostgreSQL compiled to WebAssembly: every query executes synchronously on the thread that holds it.
 * Held by the request thread, each page's queries stopped every other request while they ran (the desk
 * list at 20 clients: p95 3.3 × the login page's, against 2.0 × on PostgreSQL). Here the database works on
 * the machine's other core while the request thread renders pages, as PostgreSQL's own processes do.
 *
 * The thread holds PGlite and its Prisma adapter (pglite-prisma-adapter, with the portal's time fix) and
 * answers the request thread's messages: the adapter's calls, transactions by number, and direct reads.
 * Everything crossing between the threads is plain data (structured clone); an error crosses as its name,
 * message, stack, code and the driver's error payload.
 */
import { parentPort, workerData } from "node:worker_threads";

import type { SqlDriverAdapter, Transaction } from "@prisma/driver-adapter-utils";

import { openPGlite, pgliteAdapter, pgliteRowReader } from "./database-adapter.server.ts";
import type { PGliteRequest, PGliteResponse, SerializedError } from "./pglite-thread.server.ts";

const port = parentPort;
if (!port) throw new Error("pglite-worker.server.ts runs as a worker thread (pglite-thread.server.ts)");
const { dir } = workerData as { dir: string };

function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const code: unknown = Reflect.get(error, "code");
  const cause: unknown = error.cause;
  return {
    name: error.name,
    message: error.message,
    stack: error.stack,
    code: typeof code === "string" ? code : undefined,
    // DriverAdapterError's payload ({ kind, code, message, … }) is plain data; other causes are not sent.
    cause: error.name === "DriverAdapterError" && cause && typeof cause === "object" ? { ...cause } : undefined,
  };
}

async function main(messages: NonNullable<typeof parentPort>) {
  const pglite = await openPGlite(dir);
  const adapter: SqlDriverAdapter = await pgliteAdapter(pglite).connect();
  const readRows = pgliteRowReader(pglite);
  const transactions = new Map<number, Transaction>();
  let nextTransaction = 1;

  function transaction(id: number | undefined): Transaction {
    const found = id === undefined ? undefined : transactions.get(id);
    if (!found) throw new Error(`no open transaction ${id}`);
    return found;
  }

  async function answer(request: PGliteRequest): Promise<unknown> {
    switch (request.op) {
      case "queryRaw":
        return (request.tx === undefined ? adapter : transaction(request.tx)).queryRaw(request.query);
      case "executeRaw":
        return (request.tx === undefined ? adapter : transaction(request.tx)).executeRaw(request.query);
      case "executeScript":
        return adapter.executeScript(request.script);
      case "startTransaction": {
        const started = await adapter.startTransaction(request.isolationLevel);
        const id = nextTransaction++;
        transactions.set(id, started);
        return { id, options: started.options };
      }
      case "commit":
      case "rollback": {
        const open = transaction(request.tx);
        transactions.delete(request.tx);
        return request.op === "commit" ? open.commit() : open.rollback();
      }
      case "directRows":
        return readRows({ text: request.text, values: request.values });
      case "close":
        await adapter.dispose();
        await pglite.close();
        return undefined;
    }
  }

  messages.on("message", (request: PGliteRequest) => {
    answer(request).then(
      (value) => messages.postMessage({ id: request.id, ok: true, value } satisfies PGliteResponse),
      (error: unknown) =>
        messages.postMessage({ id: request.id, ok: false, error: serializeError(error) } satisfies PGliteResponse),
    );
  });
  messages.postMessage({
    ready: true,
    adapterName: adapter.adapterName,
    connectionInfo: adapter.getConnectionInfo?.(),
  });
}

main(port).catch((error: unknown) => port.postMessage({ ready: false, error: serializeError(error) }));
