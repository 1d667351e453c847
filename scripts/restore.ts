/**
 * `npm run restore -- <file.tar.gz>`: restores an archive made by `npm run backup` into the configured
 * database and store, which must be empty (a new DATA_DIR, or a new PostgreSQL database and bucket).
 * Applies the migrations first, then checks every SHA-256, loads, and compares the counts. Start the
 * portal afterwards.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { restoreBackup } from "../app/services/backup.server.ts";
import { objectStore, S3Store } from "../app/services/storage.server.ts";
import { acquireDataFolderLock, databaseTarget } from "../app/utils/database-adapter.server.ts";
import { closeDatabase, db } from "../app/utils/db.server.ts";
import { env } from "../app/utils/env.server.ts";
import { runMigrateDeploy } from "../app/utils/migrations.server.ts";

process.env.TZ = "Asia/Shanghai";
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const file = process.argv[2];
if (!file || !fs.existsSync(file)) {
  console.error("用法：npm run restore -- <备份文件.tar.gz>（文件须存在）");
  process.exit(2);
}
const config = env();
try {
  const target = databaseTarget(config.DATABASE_URL, config.DATA_DIR);
  if (target.kind === "pglite") {
    acquireDataFolderLock(target.dir);
    process.env.PORTAL_LOCK_OWNER = String(process.pid);
  }
  const migrated = runMigrateDeploy(root);
  if (!migrated.ok) throw new Error(`数据库迁移失败 / migration failed:\n${migrated.output}`);
  const store = objectStore();
  if (store instanceof S3Store) await store.ensureBucket();
  const manifest = await restoreBackup({
    prisma: await db(),
    store,
    file: path.resolve(file),
    log: (l) => console.log(l),
  });
  console.log(
    `恢复完成：${Object.keys(manifest.tables).length} 张表，${manifest.files.length} 个文件（备份时间 ${manifest.createdAt}）`,
  );
  await closeDatabase();
} catch (error) {
  console.error("恢复失败：", error instanceof Error ? error.message : error);
  await closeDatabase().catch(() => {});
  process.exit(1);
}
