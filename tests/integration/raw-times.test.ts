/**
 * Times read through raw SQL are the same instants as the receipt's, whatever the process's zone: the
 * staff list, the .xlsx column 提交时间（北京时间） and the dashboard's repeated-claim table (R-ELIG-4)
 * show a 16:13 Beijing-time submission as 16:13, in a process running in Asia/Shanghai (as the server
 * does) and in one running in America/New_York. Both real databases. The desk's queries are read
 * straight from the driver (db.server.ts `directRows`): its values are the ones `$queryRaw` gives.
 */
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { parseApplicationListQuery } from "~/domain/application-list.ts";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import {
  applicationListWorkbook,
  chooseRound,
  claimAttempts,
  listApplications,
} from "~/models/application-list.server.ts";
import { readRows } from "~/services/spreadsheet.server.ts";
import { FolderStore } from "~/services/storage.server.ts";
import { closeDatabase, type Db, directRows, Prisma } from "~/utils/db.server.ts";

import { createApplication, createProvider, createRound } from "../utils/scenario.ts";
import { useFreshDatabase, VARIANTS } from "../utils/test-database.ts";

const SUBMITTED = new Date("2026-11-30T08:13:27Z"); // 16:13 in Beijing
const ZONES = ["Asia/Shanghai", "America/New_York"];

describe.each(VARIANTS)("times read through raw SQL on %s", (variant) => {
  let prisma: Db;
  let store: FolderStore;
  const zoneBefore = process.env.TZ;

  beforeAll(async () => {
    let dataDir: string;
    ({ prisma, dataDir } = await useFreshDatabase(variant));
    process.env.DATA_DIR = dataDir;
    store = new FolderStore(path.join(dataDir, "files"));
  });
  afterAll(async () => {
    process.env.TZ = zoneBefore;
    await closeDatabase();
  });

  it.each(ZONES)(
    "the list, the export and the repeated-claim table show the receipt's time with the process in %s",
    async (zone) => {
      const round = await createRound(prisma, { deadline: new Date("2099-06-30T09:30:00Z") });
      const [filer, other] = [await createProvider(prisma), await createProvider(prisma)];
      const enterprise = round.enterprises[0];
      if (!enterprise) throw new Error("scenario");
      const application = await createApplication(prisma, {
        roundId: round.id,
        enterpriseId: enterprise.id,
        organisationId: filer.organisation.id,
        createdById: filer.user.id,
        store,
        submittedAt: SUBMITTED,
      });
      await prisma.enterpriseClaimAttempt.create({
        data: { roundId: round.id, enterpriseId: enterprise.id, organisationId: other.organisation.id, at: SUBMITTED },
      });

      process.env.TZ = zone;
      expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(zone === "Asia/Shanghai" ? -480 : 300);
      // The receipt and the provider's page read the instant through Prisma's client.
      const receipt = await prisma.application.findUniqueOrThrow({
        where: { id: application.id },
        select: { submittedAt: true },
      });
      if (!receipt.submittedAt) throw new Error("not submitted");
      const receiptTime = formatShanghai(receipt.submittedAt);
      expect(receiptTime).toBe("2026-11-30 16:13");

      const list = await listApplications(round.id, parseApplicationListQuery(new URLSearchParams()));
      expect(list.rows.map((r) => r.submittedAt)).toEqual([receiptTime]);

      const workbook = await applicationListWorkbook(round.id, parseApplicationListQuery(new URLSearchParams()));
      const rows = await readRows(workbook.bytes, workbook.fileName);
      const column = rows[0]?.indexOf("提交时间（北京时间）") ?? -1;
      expect(column).toBeGreaterThanOrEqual(0);
      expect(rows[1]?.[column]).toBe(receiptTime);

      const claims = await claimAttempts(round.id);
      expect(claims.map((c) => c.at)).toEqual([formatShanghai(SUBMITTED, true)]);

      const chosen = await chooseRound(round.id);
      expect(chosen?.deadline.toISOString()).toBe("2099-06-30T09:30:00.000Z");
      // An archived round is not among the live rounds: its own query reads the same instant.
      await prisma.round.update({ where: { id: round.id }, data: { status: "archived" } });
      const archived = await chooseRound(round.id);
      expect(archived?.id).toBe(round.id);
      expect(archived?.deadline.toISOString()).toBe("2099-06-30T09:30:00.000Z");
    },
  );

  it.each(ZONES)("a direct read gives what $queryRaw gives, with the process in %s", async (zone) => {
    process.env.TZ = zone;
    const query = (before: Date) => Prisma.sql`
      SELECT ${SUBMITTED}::timestamp(3) AS "stamp", (${SUBMITTED}::timestamp(3)) AT TIME ZONE 'UTC' AS "stampWithZone",
        '2026-11-30'::date AS "day", 9007199254740993::int8 AS "big", 7::int AS "small", 0.5::float8 AS "half",
        true AS "yes", NULL::text AS "nothing", ARRAY['staff', 'approver']::text[] AS "roles",
        '{"a": [1, "二"]}'::jsonb AS "json",
        (${SUBMITTED}::timestamp(3) < ${before}) AS "earlier"`;
    for (const before of [new Date(SUBMITTED.getTime() + 1), SUBMITTED]) {
      const [direct] = await directRows<Record<string, unknown>>(query(before));
      const [viaPrisma] = await prisma.$queryRaw<Record<string, unknown>[]>(query(before));
      expect(direct).toEqual({
        stamp: SUBMITTED,
        stampWithZone: SUBMITTED,
        day: "2026-11-30",
        big: 9007199254740993n,
        small: 7,
        half: 0.5,
        yes: true,
        nothing: null,
        roles: ["staff", "approver"],
        json: { a: [1, "二"] },
        earlier: before > SUBMITTED,
      });
      // Prisma gives a date as a Date at UTC midnight; every other value is the same.
      expect({ ...viaPrisma, day: undefined }).toEqual({ ...direct, day: undefined });
      expect(viaPrisma?.day).toEqual(new Date("2026-11-30T00:00:00Z"));
    }
  });
});
