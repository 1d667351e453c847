/**
 * Real databases for tests: every database test runs against PGlite and against PostgreSQL.
 * Global setup migrates one template of each (tests/setup/global-setup.ts); each test file gets a fresh
 * copy: a copied PGlite folder, or a PostgreSQL database created from the template.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import pg from "pg";

import { closeDatabase, type Db, installDatabase, openDatabase } from "~/utils/db.server.ts";

const TESTS_TMP = path.resolve(import.meta.dirname, "..", ".tmp");
/** This run's scratch folder (made by global setup; removed after the run). */
export const TMP = process.env.TEST_RUN_DIR ?? path.join(TESTS_TMP, `run-${process.ppid}`);
export const PGLITE_TEMPLATE = path.join(TESTS_TMP, "pglite-template");
/** This run's PostgreSQL database prefix (set by global setup): every database a test makes starts with it. */
export const PG_PREFIX = process.env.TEST_PG_PREFIX ?? `pt${process.ppid}_`;
export const PG_TEMPLATE_DB = `${PG_PREFIX}template`;

export type Variant = "pglite" | "postgres";
export const VARIANTS: Variant[] = ["pglite", "postgres"];

export function postgresAdminUrl(): string {
  const url = process.env.TEST_POSTGRES_URL;
  if (!url) throw new Error("TEST_POSTGRES_URL is not set: run the tests with `npm test` (it starts PostgreSQL)");
  return url;
}

export function postgresUrlFor(database: string): string {
  const url = new URL(postgresAdminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: postgresAdminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database of the given kind, installed as the process's database. */
export async function useFreshDatabase(variant: Variant): Promise<{ prisma: Db; dataDir: string; url?: string }> {
  await closeDatabase();
  const id = crypto.randomBytes(5).toString("hex");
  const dataDir = path.join(TMP, `data-${variant}-${id}`);
  fs.mkdirSync(dataDir, { recursive: true });
  if (variant === "pglite") {
    fs.cpSync(path.join(PGLITE_TEMPLATE, "db"), path.join(dataDir, "db"), { recursive: true });
    const handle = await openDatabase({ dataDir });
    installDatabase(handle);
    return { prisma: handle.client, dataDir };
  }
  const database = `${PG_PREFIX}${id}`;
  await adminQuery(`CREATE DATABASE ${database} TEMPLATE ${PG_TEMPLATE_DB}`);
  const url = postgresUrlFor(database);
  const handle = await openDatabase({ url, dataDir });
  installDatabase(handle);
  return { prisma: handle.client, dataDir, url };
}
