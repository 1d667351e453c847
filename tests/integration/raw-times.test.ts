/**
 * Times read through raw SQL are the same instants as the receipt's, whatever the process's zone: the
 * staff list, the .xlsx column 提交时间（北京时间） and the dashboard's repeated-claim table (R-ELIG-4)
 * show a 16:13 Beijing-time submission as 16:13, in a process running in Asia/Shanghai (as the server
 * does) and in one running in America/New_York. Both real databases.
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
import { closeDatabase, type Db } from "~/utils/db.server.ts";

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
    },
  );
});
