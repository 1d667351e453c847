/**
 * One Prisma client per process. The adapter switch (PGlite in DATA_DIR by default, PostgreSQL when
 * DATABASE_URL is a postgresql:// URL) lives here and in prisma/prisma.config.ts, nowhere else.
 * The client is kept on globalThis so that the server script and the Remix build share one instance:
 * two PGlite instances on one folder would corrupt it.
 */
import { PrismaPg } from "@prisma/adapter-pg";

import { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { acquireDataFolderLock, databaseTarget, openPGlite, pgliteAdapter } from "./database-adapter.server.ts";
import { env } from "./env.server.ts";

export { Prisma };
export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;

export type Handle = { client: PrismaClient; close: () => Promise<void> };
declare global {
  // One database handle per process, shared by the server script and the Remix build.
  var __subsidyPortalDb: Promise<Handle> | undefined;
}

export async function openDatabase(options: { url?: string; dataDir: string }): Promise<Handle> {
  const target = databaseTarget(options.url, options.dataDir);
  if (target.kind === "postgres") {
    const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: target.url, max: 10 }) });
    return { client, close: () => client.$disconnect() };
  }
  const release = acquireDataFolderLock(target.dir);
  const pglite = await openPGlite(target.dir);
  const client = new PrismaClient({ adapter: pgliteAdapter(pglite) });
  return {
    client,
    close: async () => {
      await client.$disconnect();
      await pglite.close();
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
