/**
 * The embedded PGlite has no autovacuum: the portal's housekeeping gathers its planner statistics itself
 * (at start and hourly), so that its query plans follow the data; PostgreSQL's autovacuum does that there.
 * Both real databases.
 */
import { afterAll, describe, expect, it } from "vitest";

import { analyseEmbeddedDatabase, closeDatabase } from "~/utils/db.server.ts";

import { createRound } from "../utils/scenario.ts";
import { useFreshDatabase, VARIANTS } from "../utils/test-database.ts";

describe.each(VARIANTS)("planner statistics on %s", (variant) => {
  afterAll(async () => {
    await closeDatabase();
  });

  it(
    variant === "pglite"
      ? "are gathered by housekeeping: the planner then knows how many rows a table has"
      : "are left to PostgreSQL's autovacuum",
    async () => {
      const { prisma } = await useFreshDatabase(variant);
      await createRound(prisma, { enterprises: Array.from({ length: 40 }, (_, i) => `统计测试企业${i + 1}`) });
      const known = async () =>
        (
          await prisma.$queryRaw<{ rows: number }[]>`
            SELECT reltuples::int AS rows FROM pg_class WHERE relname = 'RoundEnterprise'`
        )[0]?.rows;
      if (variant === "pglite") {
        // Never analysed: PostgreSQL marks the row count unknown (-1).
        expect(await known()).toBe(-1);
        expect(await analyseEmbeddedDatabase()).toBe(true);
        expect(await known()).toBeGreaterThanOrEqual(40);
      } else {
        expect(await analyseEmbeddedDatabase()).toBe(false);
      }
    },
  );
});
