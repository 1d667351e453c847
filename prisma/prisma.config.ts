// Prisma CLI configuration (6.19, JavaScript schema engine: nothing is downloaded; STACK.md).
// Run every CLI command with `--config prisma/prisma.config.ts` (the npm scripts do).
import path from "node:path";

import { defineConfig } from "prisma/config";

import { migrationAdapter } from "../app/utils/database-adapter.server.ts";

// The 6.19 CLI wants a postgresql:// DATABASE_URL whenever it runs, or it tries to download a query
// engine; the adapter below decides where migrations really go (PGlite when DATABASE_URL is unset).
// Migrations run under the tables' owner: MIGRATION_DATABASE_URL when set (the portal itself then runs
// under DATABASE_URL's role, which does not own them; app/utils/database-roles.server.ts), else DATABASE_URL.
const configuredUrl = process.env.MIGRATION_DATABASE_URL || process.env.DATABASE_URL || undefined;
process.env.DATABASE_URL = configuredUrl ?? "postgresql://embedded.invalid/pglite";

export default defineConfig({
  schema: path.join(import.meta.dirname, "schema.prisma"),
  migrations: { path: path.join(import.meta.dirname, "migrations") },
  engine: "js",
  experimental: { adapter: true },
  adapter: () => migrationAdapter(configuredUrl, process.env.DATA_DIR || "./data"),
});
