import fs from "node:fs";
import path from "node:path";

import { expect, type Page } from "@playwright/test";
import pg from "pg";

import { E2E_DATA_DIR, e2eDatabaseUrl } from "./env.ts";

/** The demo accounts' generated passwords, as the seed printed them (DATA_DIR/demo-accounts.txt). */
export function demoAccount(role: "staff" | "approver" | "expert" | "provider" | "admin"): {
  email: string;
  password: string;
} {
  const lines = fs.readFileSync(path.join(E2E_DATA_DIR, "demo-accounts.txt"), "utf8").trim().split("\n");
  const line = lines.find((l) => l.startsWith(`${role}\t`));
  if (!line) throw new Error(`no demo ${role}`);
  const [, email = "", password = ""] = line.split("\t");
  return { email, password };
}

export async function login(page: Page, account: { email: string; password: string }) {
  await page.goto("/login");
  await page.getByLabel("登录邮箱").fill(account.email);
  await page.getByLabel("密码").fill(account.password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

export async function logout(page: Page) {
  await page.getByRole("button", { name: "退出" }).click();
  await expect(page).toHaveURL(/\/login/);
}

export async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Mail the portal sent to the test SMTP server, parsed. */
export async function inbox() {
  const { simpleParser } = await import("mailparser");
  const dir = path.join(E2E_DATA_DIR, "inbox");
  if (!fs.existsSync(dir)) return [];
  return Promise.all(
    fs
      .readdirSync(dir)
      .sort()
      .map(async (name) => simpleParser(fs.readFileSync(path.join(dir, name)))),
  );
}

/**
 * A Prisma client on the browser tests' database and a store on their data folder, for
 * tests/utils/scenario.ts to prepare data in a given state. Close it with `close()`.
 */
export async function scenarioClient() {
  const { openDatabase } = await import("../../app/utils/db.server.ts");
  const { FolderStore } = await import("../../app/services/storage.server.ts");
  const handle = await openDatabase({ url: e2eDatabaseUrl(), dataDir: E2E_DATA_DIR });
  return { prisma: handle.client, store: new FolderStore(path.join(E2E_DATA_DIR, "files")), close: handle.close };
}
