/**
 * Backup and restore (README, "Operations"): one .tar.gz archive holding
 * - db/<Table>.jsonl: every row of every table, one JSON object a line (a logical dump made with SQL that
 *   PGlite and PostgreSQL both run, so an archive of either restores into either);
 * - files/<key>: every stored file named by a StoredFile row, from the folder store or S3;
 * - manifest.json: the migrations the database had, and per table and per file its count/size and SHA-256.
 * Restore checks every SHA-256 first, then loads into a migrated, empty database (foreign keys are
 * checked per statement, so tables are loaded parents first) and an empty store, resets the sequences,
 * and compares the counts with the manifest.
 * The archive is staged in a temporary folder next to it (it needs that much free space once more).
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";

import * as tar from "tar";
import { z } from "zod";

import type { Db, Tx } from "~/utils/db.server.ts";

import type { ObjectStore } from "./storage.server.ts";

export const BACKUP_FORMAT = 1;

const ManifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  createdAt: z.string(),
  source: z.object({ store: z.enum(["folder", "s3"]) }),
  migrations: z.array(z.string()),
  tables: z.record(z.string(), z.object({ rows: z.number().int(), sha256: z.string() })),
  files: z.array(z.object({ key: z.string(), size: z.number().int(), sha256: z.string(), contentType: z.string() })),
});
export type BackupManifest = z.infer<typeof ManifestSchema>;

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

/** The portal's tables (every base table of the public schema but Prisma's migration record). */
async function tableNames(prisma: Tx): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ name: string }[]>`
    SELECT table_name::text AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'
    ORDER BY table_name`;
  return rows.map((r) => r.name);
}

/**
 * The load plan: groups of tables, parents first. Foreign keys are checked at the end of each statement,
 * so a group whose tables refer to each other in a cycle (User ↔ Organisation ↔ StoredFile) is loaded in
 * one statement; every other table alone, in pages.
 */
async function loadPlan(prisma: Tx, tables: string[]): Promise<string[][]> {
  const edges = await prisma.$queryRaw<{ child: string; parent: string }[]>`
    SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
    WHERE c.contype = 'f' AND n.nspname = 'public'`;
  const unquote = (name: string) => name.replace(/^"|"$/g, "");
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const edge of edges) {
    const child = unquote(edge.child);
    const parent = unquote(edge.parent);
    if (child !== parent && parents.has(parent)) parents.get(child)?.add(parent);
  }
  const plan: string[][] = [];
  const placed = new Set<string>();
  while (placed.size < tables.length) {
    const ready = tables.filter((t) => !placed.has(t) && [...(parents.get(t) ?? [])].every((p) => placed.has(p)));
    if (ready.length > 0) {
      for (const t of ready) {
        plan.push([t]);
        placed.add(t);
      }
      continue;
    }
    // Stuck: strip the tables nothing left depends on; what remains holds the cycle(s): one group.
    const core = new Set(tables.filter((t) => !placed.has(t)));
    for (let changed = true; changed;) {
      changed = false;
      for (const t of core) {
        if (![...core].some((other) => parents.get(other)?.has(t))) {
          core.delete(t);
          changed = true;
        }
      }
    }
    if (core.size === 0) throw new BackupError("cannot order the tables by their foreign keys");
    plan.push([...core]);
    for (const t of core) placed.add(t);
  }
  return plan;
}

async function appliedMigrations(prisma: Tx): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ name: string }[]>`
    SELECT migration_name::text AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL
    ORDER BY migration_name`;
  return rows.map((r) => r.name);
}

const quote = (table: string) => `"${table.replace(/"/g, '""')}"`;
const PAGE = 500;

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest("hex");
}

function safeKey(key: string): string {
  if (!/^[a-z0-9][a-z0-9/_.-]*$/i.test(key) || key.includes("..")) throw new BackupError(`unsafe storage key ${key}`);
  return key;
}

/** Writes the archive `file` from the database and the store. Returns its manifest. */
export async function createBackup(options: {
  prisma: Db;
  store: ObjectStore;
  file: string;
  log?: (line: string) => void;
}): Promise<BackupManifest> {
  const { prisma, store } = options;
  const log = options.log ?? (() => {});
  const staging = fs.mkdtempSync(path.join(path.dirname(path.resolve(options.file)), ".backup-"));
  try {
    fs.mkdirSync(path.join(staging, "db"));
    fs.mkdirSync(path.join(staging, "files"));
    // One consistent snapshot of the database: a repeatable-read transaction for the whole dump.
    const { tables, migrations, storedFiles } = await prisma.$transaction(
      async (tx) => {
        const names = await tableNames(tx);
        const tables: BackupManifest["tables"] = {};
        for (const table of names) {
          const target = path.join(staging, "db", `${table}.jsonl`);
          const out = fs.createWriteStream(target);
          let rows = 0;
          // In pages, by the row's physical position (stable within the snapshot; any table, whatever its key).
          for (let after = "(0,0)"; ;) {
            const page = await tx.$queryRawUnsafe<{ c: string; j: string }[]>(
              `SELECT ctid::text AS c, row_to_json(t)::text AS j FROM ${quote(table)} t WHERE ctid > $1::tid ORDER BY ctid LIMIT ${PAGE}`,
              after,
            );
            for (const row of page) out.write(`${row.j}\n`);
            rows += page.length;
            if (page.length < PAGE) break;
            after = page.at(-1)?.c ?? after;
          }
          await new Promise<void>((resolve, reject) =>
            out.end((error?: Error | null) => (error ? reject(error) : resolve())),
          );
          tables[table] = { rows, sha256: await sha256OfFile(target) };
        }
        const migrations = await appliedMigrations(tx);
        const storedFiles = await tx.storedFile.findMany({
          select: { key: true, size: true, sha256: true, contentType: true },
          orderBy: { key: "asc" },
        });
        return { tables, migrations, storedFiles };
      },
      { isolationLevel: "RepeatableRead", timeout: 10 * 60_000, maxWait: 60_000 },
    );
    log(`数据库：${Object.keys(tables).length} 张表，${Object.values(tables).reduce((s, t) => s + t.rows, 0)} 行`);

    const files: BackupManifest["files"] = [];
    for (const stored of storedFiles) {
      const target = path.join(staging, "files", safeKey(stored.key));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const hash = createHash("sha256");
      let size = 0;
      await pipeline(
        await store.get(stored.key),
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            hash.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        },
        fs.createWriteStream(target),
      );
      const sha256 = hash.digest("hex");
      if (sha256 !== stored.sha256 || size !== stored.size)
        throw new BackupError(`stored file ${stored.key} does not match its record (size or SHA-256)`);
      files.push({ key: stored.key, size, sha256, contentType: stored.contentType });
    }
    log(`文件：${files.length} 个，${(files.reduce((s, f) => s + f.size, 0) / 1024 / 1024).toFixed(1)} MB`);

    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      createdAt: new Date().toISOString(),
      source: { store: store.kind },
      migrations,
      tables,
      files,
    };
    fs.writeFileSync(path.join(staging, "manifest.json"), JSON.stringify(manifest, null, 2));
    const partial = `${options.file}.part`;
    await tar.create({ gzip: true, file: partial, cwd: staging, portable: true }, ["manifest.json", "db", "files"]);
    fs.renameSync(partial, options.file);
    return manifest;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Restores the archive `file` into the (migrated, empty) database and the (empty) store. Refuses an
 * archive whose checksums do not match, whose migrations differ from the database's, or a target that
 * already holds data.
 */
export async function restoreBackup(options: {
  prisma: Db;
  store: ObjectStore;
  file: string;
  log?: (line: string) => void;
}): Promise<BackupManifest> {
  const { prisma, store } = options;
  const log = options.log ?? (() => {});
  const staging = fs.mkdtempSync(path.join(path.dirname(path.resolve(options.file)), ".restore-"));
  try {
    await tar.extract({ file: options.file, cwd: staging, strict: true });
    const manifest = ManifestSchema.parse(JSON.parse(fs.readFileSync(path.join(staging, "manifest.json"), "utf8")));
    for (const [table, entry] of Object.entries(manifest.tables)) {
      if ((await sha256OfFile(path.join(staging, "db", `${table}.jsonl`))) !== entry.sha256)
        throw new BackupError(`archive damaged: table ${table}`);
    }
    for (const file of manifest.files) {
      if ((await sha256OfFile(path.join(staging, "files", safeKey(file.key)))) !== file.sha256)
        throw new BackupError(`archive damaged: file ${file.key}`);
    }
    log("归档校验通过（SHA-256）");

    const migrations = await appliedMigrations(prisma);
    if (migrations.join("\n") !== manifest.migrations.join("\n")) {
      throw new BackupError(
        `the database's migrations differ from the archive's (archive: ${manifest.migrations.at(-1) ?? "none"}, database: ${migrations.at(-1) ?? "none"}); restore with the portal version that made the backup`,
      );
    }
    const tables = await tableNames(prisma);
    const missing = Object.keys(manifest.tables).filter((t) => !tables.includes(t));
    if (missing.length > 0) throw new BackupError(`tables missing in the database: ${missing.join(", ")}`);
    for (const table of tables) {
      const [row] = await prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${quote(table)}`);
      if ((row?.n ?? 0) > 0)
        throw new BackupError(
          `the database is not empty (table ${table} has rows): restore into an empty database or data folder`,
        );
    }

    const plan = (await loadPlan(prisma, tables))
      .map((group) => group.filter((t) => t in manifest.tables))
      .filter((g) => g.length > 0);
    const rowsOf = (table: string) =>
      fs
        .readFileSync(path.join(staging, "db", `${table}.jsonl`), "utf8")
        .split("\n")
        .filter(Boolean);
    const insert = (table: string, parameter: number) =>
      `INSERT INTO ${quote(table)} SELECT * FROM json_populate_recordset(NULL::${quote(table)}, $${parameter}::json)`;
    await prisma.$transaction(
      async (tx) => {
        // R-LOG-1: the audit record comes back as it was, ids and hash chain included: its chaining trigger
        // (which numbers and hashes a new entry) is off for the restore only, in this transaction, which
        // the restoring owner may do and the portal's runtime role may not. audit:verify checks the result.
        await tx.$executeRawUnsafe(`ALTER TABLE "AuditEntry" DISABLE TRIGGER "AuditEntry_chain"`);
        for (const group of plan) {
          const [only] = group;
          if (group.length === 1 && only) {
            const lines = rowsOf(only);
            for (let i = 0; i < lines.length; i += PAGE)
              await tx.$executeRawUnsafe(insert(only, 1), `[${lines.slice(i, i + PAGE).join(",")}]`);
          } else {
            // Tables that refer to each other: one statement, so their foreign keys are checked together.
            const ctes = group.map((table, i) => `t${i} AS (${insert(table, i + 1)})`).join(", ");
            await tx.$executeRawUnsafe(
              `WITH ${ctes} SELECT 1`,
              ...group.map((table) => `[${rowsOf(table).join(",")}]`),
            );
          }
        }
        await tx.$executeRawUnsafe(`ALTER TABLE "AuditEntry" ENABLE TRIGGER "AuditEntry_chain"`);
        // Sequences (autoincrement ids) continue after the restored rows.
        const serials = await tx.$queryRaw<{ tbl: string; col: string }[]>`
          SELECT c.table_name::text AS tbl, c.column_name::text AS col FROM information_schema.columns c
          WHERE c.table_schema = 'public' AND c.column_default LIKE 'nextval(%'`;
        for (const s of serials) {
          await tx.$queryRawUnsafe(
            `SELECT setval(pg_get_serial_sequence('${quote(s.tbl)}', '${s.col}'), GREATEST((SELECT max(${quote(s.col)}) FROM ${quote(s.tbl)}), 1), (SELECT count(*) > 0 FROM ${quote(s.tbl)}))`,
          );
        }
      },
      { timeout: 30 * 60_000, maxWait: 60_000 },
    );
    for (const [table, entry] of Object.entries(manifest.tables)) {
      const [row] = await prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${quote(table)}`);
      if (row?.n !== entry.rows)
        throw new BackupError(`table ${table}: ${row?.n} rows restored, ${entry.rows} in the archive`);
    }
    log(`数据库已恢复：${Object.keys(manifest.tables).length} 张表`);

    for (const file of manifest.files) {
      await store.put(file.key, fs.createReadStream(path.join(staging, "files", file.key)), file.contentType);
    }
    log(`文件已恢复：${manifest.files.length} 个`);
    return manifest;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Reads the manifest of an archive without restoring it. */
export async function readManifest(file: string): Promise<BackupManifest> {
  let text = "";
  await tar.list({
    file,
    filter: (p) => p === "manifest.json",
    onReadEntry: (entry) => {
      entry.on("data", (c: Buffer) => (text += c.toString()));
    },
  });
  return ManifestSchema.parse(JSON.parse(text));
}
