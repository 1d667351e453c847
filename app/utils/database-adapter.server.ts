/**
 * Which database the portal talks to, decided by configuration alone:
 *   - DATABASE_URL set to a `postgresql://` (or `postgres://`) URL → PostgreSQL through @prisma/adapter-pg;
 *   - DATABASE_URL unset (the default) → PGlite, an embedded PostgreSQL persisted to `<DATA_DIR>/db`.
 * Used by the running portal (db.server.ts) and by the Prisma CLI (prisma/prisma.config.ts); imported with
 * relative paths only, because the CLI loads it without the app's path aliases.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQueryable,
} from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";

export type DatabaseTarget = { kind: "postgres"; url: string } | { kind: "pglite"; dir: string };

export function databaseTarget(url: string | undefined, dataDir: string): DatabaseTarget {
  if (url && /^postgres(ql)?:\/\//.test(url)) return { kind: "postgres", url };
  if (url) throw new Error(`DATABASE_URL must be a postgresql:// URL (or unset for the embedded database), got ${url}`);
  return { kind: "pglite", dir: path.resolve(dataDir, "db") };
}

/**
 * PGlite is one process on one folder: two processes on the same folder corrupt it silently (STACK.md).
 * The lock file holds the owner's pid; a live owner other than us (or our parent, for the migration CLI
 * that the server spawns) refuses the second process with a clear message.
 */
export class DataFolderLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `数据目录 ${dir} 正被另一个进程（pid ${pid}）使用。嵌入式数据库只能由一个进程打开，请先停止该进程再启动。` +
        `\nThe data folder ${dir} is in use by process ${pid}; the embedded database allows one process only.`,
    );
    this.name = "DataFolderLockedError";
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && "code" in error && error.code === "EPERM";
  }
}

export function acquireDataFolderLock(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const lockPath = path.join(path.dirname(dir), `${path.basename(dir)}.lock`);
  const allowed = new Set([process.pid, Number(process.env.PORTAL_LOCK_OWNER ?? NaN)]);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: "wx" });
      const release = () => {
        try {
          if (fs.readFileSync(lockPath, "utf8") === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      process.once("exit", release);
      return release;
    } catch (error) {
      if (!(error instanceof Error && "code" in error && error.code === "EEXIST")) throw error;
      const owner = Number(fs.readFileSync(lockPath, "utf8").trim());
      if (allowed.has(owner)) return () => {};
      if (Number.isInteger(owner) && owner > 0 && pidAlive(owner)) throw new DataFolderLockedError(dir, owner);
      fs.unlinkSync(lockPath); // stale lock from a process that died
    }
  }
  throw new Error(`could not lock ${lockPath}`);
}

export async function openPGlite(dir: string): Promise<PGlite> {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const pg = new PGlite(dir);
  await pg.waitReady;
  return pg;
}

/**
 * pglite-prisma-adapter 0.6 hands `timestamp` and `timestamptz` values to Prisma as wall times without a
 * zone ("2026-11-30 08:13:27", its timestamptz parser even strips the "+00"). The ORM reads them as UTC,
 * but `$queryRaw` reads them in the process's zone: in the server (Asia/Shanghai) every raw time came
 * out eight hours early. adapter-pg gives "2026-11-30T08:13:27+00:00": give PGlite's results the same
 * form, so both databases read the same instant whatever the zone.
 */
function utcTimestamp(value: unknown): unknown {
  if (typeof value !== "string" || /(Z|[+-]\d{2}(:?\d{2})?)$/.test(value)) return value;
  return `${value.replace(" ", "T")}+00:00`;
}
function withUtcTimestamps<T extends SqlQueryable>(queryable: T): T {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    result.columnTypes.forEach((type, column) => {
      if (type !== ColumnTypeEnum.DateTime && type !== ColumnTypeEnum.DateTimeArray) return;
      for (const row of result.rows) {
        const value: unknown = row[column];
        row[column] = Array.isArray(value) ? value.map(utcTimestamp) : utcTimestamp(value);
      }
    });
    return result;
  };
  return queryable;
}

/** PGlite through pglite-prisma-adapter, with its times in the form adapter-pg gives (see above). */
export function pgliteAdapter(pglite: PGlite): SqlDriverAdapterFactory {
  const inner = new PrismaPGlite(pglite);
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect() {
      const adapter = withUtcTimestamps(await inner.connect());
      const startTransaction = adapter.startTransaction.bind(adapter);
      adapter.startTransaction = async (isolationLevel) => withUtcTimestamps(await startTransaction(isolationLevel));
      return adapter;
    },
  };
}

/**
 * A read-only query sent by the database driver itself, not through Prisma (db.server.ts `directRows`):
 * the SQL with `$1`-style placeholders and its values.
 */
export type DirectQuery = { text: string; values: unknown[] };
export type RowReader = (query: DirectQuery) => Promise<Record<string, unknown>[]>;

/** PostgreSQL's "2026-11-30 08:13:27.123" and "…+00" / "…+05:30" as ISO 8601 (UTC when it names no zone). */
function isoInstant(text: string, zoneless: boolean): Date {
  const iso = text.replace(" ", "T");
  return new Date(zoneless ? `${iso}Z` : iso.replace(/([+-]\d{2})$/, "$1:00"));
}

/**
 * How a direct read turns PostgreSQL's text into values, the same on both drivers and as `$queryRaw`
 * gives them but for dates: a `timestamp` as the instant it stores (the columns hold UTC, whatever the
 * process's zone), a `timestamptz` as its instant, an `int8` as a bigint, and a `date` as its
 * "YYYY-MM-DD" text (`$queryRaw` makes it a Date at UTC midnight).
 */
const DIRECT_PARSERS: Record<number, (text: string) => unknown> = {
  1114: (text) => isoInstant(text, true),
  1184: (text) => isoInstant(text, false),
  1082: (text) => text,
  20: (text) => BigInt(text),
};

/** A Date parameter as its UTC instant: a `timestamp` column compares it with the UTC time it stores. */
function directValues(values: unknown[]): unknown[] {
  return values.map((value) => (value instanceof Date ? value.toISOString() : value));
}

/**
 * Direct reads through the pg pool Prisma's adapter also uses, each SQL text as a named prepared statement:
 * a connection parses and plans it the first times only, then reuses the plan (the desk list's SQL took
 * PostgreSQL longer to plan than to run; prepared, PostgreSQL's CPU per list page fell from ≈ 2.9 ms to
 * ≈ 2.1 ms). The desk's SQL texts are a few hundred at most (one per combination of filters and order),
 * so the statements each connection keeps stay few. A pooler between the portal and PostgreSQL must
 * support prepared statements (PgBouncer ≥ 1.21 with `max_prepared_statements`, or session pooling).
 */
export function pgRowReader(pool: pg.Pool): RowReader {
  const types = {
    getTypeParser: ((oid: number, format?: string) =>
      DIRECT_PARSERS[oid] ?? pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
  };
  const names = new Map<string, string>();
  const statementName = (text: string) => {
    let name = names.get(text);
    if (!name) {
      if (names.size >= 1000) names.clear();
      name = `direct_${crypto.createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
      names.set(text, name);
    }
    return name;
  };
  return async ({ text, values }) =>
    (await pool.query({ name: statementName(text), text, values: directValues(values), types })).rows;
}

/** Direct reads on the PGlite instance Prisma's adapter also uses (it runs one query at a time). */
export function pgliteRowReader(pglite: PGlite): RowReader {
  return async ({ text, values }) =>
    (await pglite.query<Record<string, unknown>>(text, directValues(values), { parsers: DIRECT_PARSERS })).rows;
}

/**
 * prisma/prisma#27403: `migrate deploy` through adapter-pg fails on columns of type `name` (oid 19), and
 * `migrate dev`'s introspection on `"char"` (oid 18). Rewriting those type ids to `text` (oid 25) in the
 * raw results, before Prisma maps them, avoids it (pg returns both as strings already).
 */
type RawResult = { fields?: { dataTypeID: number }[] };
function rewriteNameColumns(queryable: object) {
  const original: unknown = Reflect.get(queryable, "performIO");
  if (typeof original !== "function") return;
  Reflect.set(queryable, "performIO", async (...args: unknown[]) => {
    const result: RawResult = await original.apply(queryable, args);
    for (const field of result.fields ?? [])
      if (field.dataTypeID === 19 || field.dataTypeID === 18) field.dataTypeID = 25;
    return result;
  });
}
/**
 * adapter-pg's executeScript splits a migration on every ";" and runs the pieces one by one, which
 * breaks dollar-quoted bodies (our append-only trigger) and leaves a failed migration half-applied.
 * PostgreSQL runs a multi-statement script sent as one simple query atomically: send it whole.
 */
function executeScriptWhole(adapter: SqlDriverAdapter) {
  const driver: unknown = Reflect.get(adapter, "underlyingDriver");
  const onError: unknown = Reflect.get(adapter, "onError");
  if (typeof driver !== "function" || typeof onError !== "function") return;
  const pool: unknown = driver.call(adapter);
  if (!(pool instanceof pg.Pool)) return;
  adapter.executeScript = async (script: string) => {
    try {
      await pool.query(script);
    } catch (error) {
      onError.call(adapter, error);
    }
  };
}

function withNameColumnsAsText(adapter: SqlDriverAdapter): SqlDriverAdapter {
  rewriteNameColumns(adapter);
  executeScriptWhole(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => {
    const transaction = await startTransaction(isolationLevel);
    rewriteNameColumns(transaction);
    return transaction;
  };
  return adapter;
}

/** adapter-pg with the two migration fixes above. */
class MigrationSafePg implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres";
  readonly adapterName: string;
  constructor(private readonly inner: PrismaPg) {
    this.adapterName = inner.adapterName;
  }
  async connect() {
    return withNameColumnsAsText(await this.inner.connect());
  }
  async connectToShadowDb() {
    return withNameColumnsAsText(await this.inner.connectToShadowDb());
  }
}

/** The adapter factory for the Prisma CLI (migrations). */
export async function migrationAdapter(
  url: string | undefined,
  dataDir: string,
): Promise<SqlMigrationAwareDriverAdapterFactory> {
  const target = databaseTarget(url, dataDir);
  if (target.kind === "postgres") return new MigrationSafePg(new PrismaPg({ connectionString: target.url }));
  acquireDataFolderLock(target.dir);
  return new ClosingPGlite(target.dir);
}

/**
 * PGlite for the CLI. Two fixes over pglite-prisma-adapter 0.6.1:
 *  - an open PGlite keeps Node alive, so the CLI would never exit after `migrate deploy`: each connection
 *    opens PGlite and its dispose() closes it again;
 *  - its executeScript does not await PGlite's exec, so a failing migration would be recorded as applied:
 *    the script is awaited and its error reported.
 */
class ClosingPGlite implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres";
  readonly adapterName = "pglite-prisma-adapter";
  constructor(private readonly dir: string) {}
  async connect() {
    const pglite = await openPGlite(this.dir);
    const adapter = withAwaitedScripts(await new PrismaPGlite(pglite).connect(), pglite);
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await pglite.close();
    };
    return adapter;
  }
  async connectToShadowDb() {
    const pglite = new PGlite();
    return withAwaitedScripts(await new PrismaPGlite(pglite).connect(), pglite);
  }
}

function withAwaitedScripts(adapter: SqlDriverAdapter, pglite: PGlite): SqlDriverAdapter {
  const onError: unknown = Reflect.get(adapter, "onError");
  adapter.executeScript = async (script: string) => {
    try {
      await pglite.exec(script);
    } catch (error) {
      if (typeof onError === "function") onError.call(adapter, error);
      throw error;
    }
  };
  return adapter;
}
