/**
 * `npm run backup -- <file.tar.gz>`: one archive of the database (a logical dump, PGlite or PostgreSQL)
 * and every stored file (folder or S3), with a manifest of counts and SHA-256s (app/services/backup.server.ts).
 * Runs beside a running portal on PostgreSQL; on the embedded database stop the portal first (one
 * process per data folder).
 */
import path from "node:path";

import { createBackup } from "../app/services/backup.server.ts";
import { objectStore } from "../app/services/storage.server.ts";
import { closeDatabase, db } from "../app/utils/db.server.ts";
import { env } from "../app/utils/env.server.ts";

process.env.TZ = "Asia/Shanghai";
const file = process.argv[2];
if (!file) {
  console.error("用法：npm run backup -- <备份文件.tar.gz>");
  process.exit(2);
}
env();
try {
  const started = Date.now();
  const manifest = await createBackup({
    prisma: await db(),
    store: objectStore(),
    file: path.resolve(file),
    log: (l) => console.log(l),
  });
  const rows = Object.values(manifest.tables).reduce((s, t) => s + t.rows, 0);
  console.log(
    `备份完成：${path.resolve(file)}（${rows} 行，${manifest.files.length} 个文件，${Date.now() - started} ms）`,
  );
  await closeDatabase();
} catch (error) {
  console.error("备份失败：", error instanceof Error ? error.message : error);
  await closeDatabase().catch(() => {});
  process.exit(1);
}
