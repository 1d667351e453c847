/**
 * R-PAY-1: the largest amount a form accepts (MAX_AMOUNT_FEN) fits the amount columns on both
 * databases, and AMOUNT_COLUMN_MAX_FEN is really the columns' limit (one fen more is refused).
 */
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { AMOUNT_COLUMN_MAX_FEN, MAX_AMOUNT_FEN } from "~/domain/money.ts";
import { FolderStore } from "~/services/storage.server.ts";
import { closeDatabase, type Db } from "~/utils/db.server.ts";

import { createApplication, createProvider, createRound } from "../utils/scenario.ts";
import { useFreshDatabase, VARIANTS } from "../utils/test-database.ts";

describe.each(VARIANTS)("amount columns on %s", (variant) => {
  let prisma: Db;
  let store: FolderStore;
  beforeAll(async () => {
    let dataDir: string;
    ({ prisma, dataDir } = await useFreshDatabase(variant));
    store = new FolderStore(path.join(dataDir, "files"));
  });
  afterAll(async () => {
    await closeDatabase();
  });

  it("R-PAY-1 hold the largest amount a form accepts, and refuse one fen above the column's limit", async () => {
    const round = await createRound(prisma);
    const provider = await createProvider(prisma);
    const [first, second] = round.enterprises;
    if (!first || !second) throw new Error("scenario");
    const base = { roundId: round.id, organisationId: provider.organisation.id, createdById: provider.user.id, store };
    const largest = await createApplication(prisma, {
      ...base,
      enterpriseId: first.id,
      contractAmountFen: MAX_AMOUNT_FEN,
    });
    expect((await prisma.application.findUniqueOrThrow({ where: { id: largest.id } })).contractAmountFen).toBe(
      MAX_AMOUNT_FEN,
    );
    await expect(
      prisma.round.update({ where: { id: round.id }, data: { budgetFen: AMOUNT_COLUMN_MAX_FEN } }),
    ).resolves.toBeTruthy();
    await expect(
      prisma.round.update({ where: { id: round.id }, data: { budgetFen: AMOUNT_COLUMN_MAX_FEN + 1 } }),
    ).rejects.toThrow();
  });
});
