/**
 * One Prisma client per process. The adapter switch (PGlite in DATA_DIR by default, PostgreSQL when
 * DATABASE_URL is a postgresql:// URL) lives here and in prisma/prisma.config.ts, nowhere else.
 * The client is kept on globalThis so that the server script and the Remix build share one instance:
 * two PGlite instances on one folder would corrupt it.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

import { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { acquireDataFolderLock, databaseTarget, pgRowReader, type RowReader } from "./database-adapter.server.ts";
import { env } from "./env.server.ts";
import { openPGliteThread } from "./pglite-thread.server.ts";

export { Prisma };
export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;

export type Handle = {
  kind: "postgres" | "pglite";
  client: PrismaClient;
  directRows: RowReader;
  close: () => Promise<void>;
};
declare global {
  // One database handle per process, shared by the server script and the Remix build.
  var __subsidyPortalDb: Promise<Handle> | undefined;
}

export async function openDatabase(options: { url?: string; dataDir: string }): Promise<Handle> {
  const target = databaseTarget(options.url, options.dataDir);
  if (target.kind === "postgres") {
    // One pool for Prisma and the direct reads (directRows).
    const pool = new pg.Pool({ connectionString: target.url, max: 10 });
    const client = new PrismaClient({ adapter: new PrismaPg(pool) });
    return {
      kind: "postgres",
      client,
      directRows: pgRowReader(pool),
      close: async () => {
        await client.$disconnect();
        await pool.end();
      },
    };
  }
  // PGlite on a thread of its own, so that its queries never stop the request thread (pglite-thread.server.ts).
  const release = acquireDataFolderLock(target.dir);
  const thread = await openPGliteThread(target.dir).catch((error: unknown) => {
    release();
    throw error;
  });
  const client = new PrismaClient({ adapter: thread.adapter });
  return {
    kind: "pglite",
    client,
    directRows: thread.directRows,
    close: async () => {
      await client.$disconnect();
      await thread.close();
      release();
    },
  };
}

function handle(): Promise<Handle> {
  globalThis.__subsidyPortalDb ??= openDatabase({ url: env().DATABASE_URL, dataDir: env().DATA_DIR });
  return globalThis.__subsidyPortalDb;
}

/**
 * Scripts and tests that open a database explicitly (openDatabase) make it the process's database here;
 * everything that calls db() then uses it.
 */
export function installDatabase(handle: Handle) {
  globalThis.__subsidyPortalDb = Promise.resolve(handle);
}

/** The process's database client. */
export async function db(): Promise<PrismaClient> {
  return (await handle()).client;
}

/**
 * The rows of one read-only query, sent by the database driver itself instead of through Prisma.
 * Prisma's `$queryRaw` passes each query through its query compiler and result mapping, ≈ 0.3 ms of the
 * server's one thread a query (measured with npm run bench:desk); the few queries every desk page asks
 * (the session, the application list) skip that. Values come as `$queryRaw` gives them (timestamps as
 * Date, int8 as bigint) except dates, kept as "YYYY-MM-DD" text (database-adapter.server.ts); `T` is
 * what one row of the SQL selects. Not for writes, and not inside a transaction (it runs outside it).
 */
export async function directRows<T>(query: Prisma.Sql): Promise<T[]> {
  const rows = await (await handle()).directRows({ text: query.text, values: query.values });
  return rows as T[];
}

/**
 * The embedded PGlite runs PostgreSQL without its autovacuum, so nothing would ever gather the planner's
 * statistics: it would guess one row per table and pick slow plans (the desk's provider filter took
 * 2.7 ms a query on 2,000 applications, 0.7 ms once analysed). Housekeeping calls this at start and
 * hourly; it runs ANALYZE on PGlite and returns true, and does nothing on PostgreSQL, whose autovacuum
 * keeps the statistics.
 */
export async function analyseEmbeddedDatabase(): Promise<boolean> {
  const current = await handle();
  if (current.kind !== "pglite") return false;
  await current.client.$executeRaw`ANALYZE`;
  return true;
}

export async function closeDatabase(): Promise<void> {
  const current = globalThis.__subsidyPortalDb;
  globalThis.__subsidyPortalDb = undefined;
  if (current) await (await current).close();
}

/**
 * A unique-constraint violation surfaces as P2002 on PostgreSQL but as a DriverAdapterError whose cause
 * carries SQLSTATE 23505 on PGlite (STACK.md). Both mean "duplicate".
 */
export function isUniqueViolation(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return true;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    if (Reflect.get(current, "code") === "23505") return true;
    const cause: unknown = Reflect.get(current, "cause");
    if (cause && typeof cause === "object" && Reflect.get(cause, "originalCode") === "23505") return true;
    if (cause && typeof cause === "object" && Reflect.get(cause, "kind") === "UniqueConstraintViolation") return true;
    current = cause;
  }
  return false;
}
