/**
 * The staff desk's list and dashboard queries against both real databases: search (enterprise, provider,
 * credit code, number), filters (status, provider, R-DATE-2 late, R-MAT-3 paper copies, R-MAT-2
 * incomplete, overdue supplement), sorting, pages counted in SQL, the .xlsx export with the same filters,
 * and the dashboard's figures (submitted today by the Beijing day).
 */
import fs from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { parseApplicationListQuery } from "~/domain/application-list.ts";
import {
  applicationListWorkbook,
  chooseRound,
  claimAttempts,
  deskCounts,
  listApplications,
  providerChoices,
  roundDashboard,
} from "~/models/application-list.server.ts";
import { roundChoices } from "~/models/round.server.ts";
import { readRows } from "~/services/spreadsheet.server.ts";
import { FolderStore } from "~/services/storage.server.ts";
import { closeDatabase, type Db } from "~/utils/db.server.ts";

import { createApplication, createProvider, createRound } from "../utils/scenario.ts";
import { useFreshDatabase, VARIANTS } from "../utils/test-database.ts";

const query = (search: string) => parseApplicationListQuery(new URLSearchParams(search));
const DAY_MS = 24 * 3600_000;

describe.each(VARIANTS)("staff application list on %s", (variant) => {
  let prisma: Db;
  let roundId: string;
  let otherRoundId: string;
  const ids: Record<string, string> = {};
  const numbers: Record<string, string> = {};
  let providerA: { id: string; name: string };
  let providerB: { id: string; name: string };
  let usccOfLate = "";

  beforeAll(async () => {
    let dataDir: string;
    ({ prisma, dataDir } = await useFreshDatabase(variant));
    const store = new FolderStore(path.join(dataDir, "files"));
    fs.mkdirSync(path.join(dataDir, "files"), { recursive: true });
    const round = await createRound(prisma, {
      enterprises: [
        "淄博联美弹簧科技有限公司",
        "山东华成中德传动设备有限公司",
        "淄博宏达阀门有限公司",
        "淄博金诺机械有限公司",
        "山东星辉陶瓷有限公司",
        "淄博晨光化工有限公司",
      ],
    });
    roundId = round.id;
    const a = await createProvider(prisma, { name: `甲数智科技有限公司${variant}` });
    const b = await createProvider(prisma, { name: `乙工业互联网有限公司${variant}` });
    providerA = { id: a.organisation.id, name: a.organisation.name };
    providerB = { id: b.organisation.id, name: b.organisation.name };
    const [e1, e2, e3, e4, e5, e6] = round.enterprises;
    if (!e1 || !e2 || !e3 || !e4 || !e5 || !e6) throw new Error("round without enterprises");
    const base = { roundId, store };
    const byA = { ...base, organisationId: a.organisation.id, createdById: a.user.id };
    const byB = { ...base, organisationId: b.organisation.id, createdById: b.user.id };
    const at = new Date();
    const made = {
      // Submitted today, late (R-DATE-2), paper copies received.
      late: await createApplication(prisma, { ...byA, enterpriseId: e1.id, submittedAt: at }),
      // Submitted three days ago, no paper copies.
      noPaper: await createApplication(prisma, {
        ...byA,
        enterpriseId: e2.id,
        submittedAt: new Date(at.getTime() - 3 * DAY_MS),
      }),
      // Returned for supplement, due yesterday.
      overdue: await createApplication(prisma, {
        ...byB,
        enterpriseId: e3.id,
        submittedAt: new Date(at.getTime() - 5 * DAY_MS),
      }),
      // Returned for supplement, due tomorrow.
      returned: await createApplication(prisma, {
        ...byB,
        enterpriseId: e4.id,
        submittedAt: new Date(at.getTime() - 4 * DAY_MS),
      }),
      // A draft without the diagnosis report (R-MAT-2).
      draft: await createApplication(prisma, { ...byB, enterpriseId: e5.id, status: "draft", without: ["M8"] }),
      // Accepted, but its team photo was removed (R-MAT-2: M5 needs a team photo).
      accepted: await createApplication(prisma, {
        ...byA,
        enterpriseId: e6.id,
        status: "accepted",
        submittedAt: new Date(at.getTime() - 6 * DAY_MS),
      }),
    };
    for (const [key, application] of Object.entries(made)) {
      ids[key] = application.id;
      numbers[key] = application.number;
    }
    const late = await prisma.application.update({
      where: { id: made.late.id },
      data: { completionLate: true, paperCopiesReceivedOn: "2026-11-20", paperCopiesReceivedBy: "王科员" },
    });
    usccOfLate = late.enterpriseUscc;
    await prisma.application.update({
      where: { id: made.overdue.id },
      data: { status: "returned", supplementDueAt: new Date(at.getTime() - DAY_MS) },
    });
    await prisma.application.update({
      where: { id: made.returned.id },
      data: { status: "returned", supplementDueAt: new Date(at.getTime() + DAY_MS) },
    });
    await prisma.applicationMaterial.updateMany({
      where: { applicationId: made.accepted.id, material: "M5", photoTag: "team" },
      data: { removedAt: at },
    });

    // Another round with an application that must never show in this round's list.
    const other = await createRound(prisma);
    otherRoundId = other.id;
    const otherEnterprise = other.enterprises[0];
    if (!otherEnterprise) throw new Error("round without enterprises");
    await createApplication(prisma, { ...byA, roundId: other.id, enterpriseId: otherEnterprise.id });
  });
  afterAll(async () => {
    await closeDatabase();
  });

  const listed = async (search: string) =>
    (await listApplications(roundId, query(search))).rows.map((row) => row.id).sort();
  const expected = (...keys: string[]) => keys.map((key) => ids[key]).sort();

  it("lists only the round's applications, in application-number order", async () => {
    const list = await listApplications(roundId, query(""));
    expect(list.total).toBe(6);
    expect(list.rows.map((row) => row.number)).toEqual(Object.values(numbers).sort());
    expect((await listApplications(otherRoundId, query(""))).total).toBe(1);
  });

  it("searches the enterprise name, the provider name, the credit code (any case) and the application number", async () => {
    expect(await listed("q=宏达阀门")).toEqual(expected("overdue"));
    expect(await listed(`q=${encodeURIComponent(providerB.name.slice(0, 6))}`)).toEqual(
      expected("overdue", "returned", "draft"),
    );
    expect(await listed(`q=${usccOfLate.slice(6).toLowerCase()}`)).toEqual(expected("late"));
    expect(await listed(`q=${numbers.noPaper}`)).toEqual(expected("noPaper"));
    // LIKE's wildcards are searched for literally.
    expect(await listed("q=%25")).toEqual([]);
    expect(await listed("q=_")).toEqual([]);
    const nothing = await listApplications(roundId, query("q=不存在的企业"));
    expect(nothing).toMatchObject({ total: 0, page: 1, pageCount: 1, rows: [] });
  });

  it("filters by status and by provider, and combines filters with the search", async () => {
    expect(await listed("status=returned")).toEqual(expected("overdue", "returned"));
    expect(await listed(`provider=${providerA.id}`)).toEqual(expected("late", "noPaper", "accepted"));
    expect(await listed(`provider=${providerA.id}&status=submitted&q=联美`)).toEqual(expected("late"));
  });

  it("R-DATE-2, R-MAT-3, R-MAT-2: filters by the late flag, missing paper copies, overdue supplement and incomplete materials", async () => {
    expect(await listed("flag=late")).toEqual(expected("late"));
    // Drafts are not expected to have paper copies yet.
    expect(await listed("flag=no_paper")).toEqual(expected("noPaper", "overdue", "returned", "accepted"));
    expect(await listed("flag=supplement_overdue")).toEqual(expected("overdue"));
    expect(await listed("flag=incomplete")).toEqual(expected("draft", "accepted"));
    expect(await listed("flag=incomplete&flag=no_paper")).toEqual(expected("accepted"));
    const row = (await listApplications(roundId, query("flag=supplement_overdue"))).rows[0];
    expect(row).toMatchObject({
      supplementOverdue: true,
      status: "returned",
      statusLabel: expect.any(String) as string,
    });
  });

  it("sorts by enterprise, provider and submission time in both directions, drafts last", async () => {
    const enterprises = (await listApplications(roundId, query("sort=enterprise"))).rows.map(
      (row) => row.enterpriseName,
    );
    expect(enterprises).toEqual([...enterprises].sort());
    const descending = (await listApplications(roundId, query("sort=enterprise&dir=desc"))).rows.map(
      (row) => row.enterpriseName,
    );
    expect(descending).toEqual([...enterprises].reverse());
    const bySubmission = (await listApplications(roundId, query("sort=submitted&dir=desc"))).rows.map((row) => row.id);
    expect(bySubmission).toEqual([ids.late, ids.noPaper, ids.returned, ids.overdue, ids.accepted, ids.draft]);
    // By status: in the order of an application's life (the state machine's order), then by number.
    const byStatus = (await listApplications(roundId, query("sort=status"))).rows.map((row) => row.status);
    expect(byStatus).toEqual(["draft", "submitted", "submitted", "returned", "returned", "accepted"]);
    const byProvider = (await listApplications(roundId, query("sort=provider"))).rows.map((row) => row.providerName);
    expect(byProvider).toEqual([...byProvider].sort());
    expect(new Set(byProvider.slice(0, 3)).size).toBe(1);
  });

  it("pages in the database by the chosen size (20 by default) and clamps a page past the end to the last page", async () => {
    const bigRound = await createRound(prisma, {
      enterprises: Array.from({ length: 53 }, (_, i) => `分页测试企业${variant}${i + 1}`),
    });
    await prisma.application.createMany({
      data: bigRound.enterprises.map((enterprise, i) => ({
        number: `${bigRound.code}-${String(i + 1).padStart(4, "0")}`,
        roundId: bigRound.id,
        organisationId: providerA.id,
        enterpriseId: enterprise.id,
        enterpriseUscc: "91370303MA3PAGE000",
        eligibilityConfirmedAt: new Date(),
        reportTitle: "报告",
        contractAmountFen: 1_000_000,
        contractSignedOn: "2022-09-01",
        diagnosisCompletedOn: "2022-09-20",
        createdById: "nobody",
      })),
    });
    const first = await listApplications(bigRound.id, query(""));
    expect(first).toMatchObject({ total: 53, page: 1, pageCount: 3 });
    expect(first.rows).toHaveLength(20);
    const third = await listApplications(bigRound.id, query("page=3"));
    expect(third.rows.map((row) => row.number)).toEqual(
      Array.from({ length: 13 }, (_, i) => `${bigRound.code}-00${41 + i}`),
    );
    const bySize = await listApplications(bigRound.id, query("size=50"));
    expect(bySize).toMatchObject({ total: 53, page: 1, pageCount: 2 });
    expect(bySize.rows).toHaveLength(50);
    const last = await listApplications(bigRound.id, query("page=9&size=50"));
    expect(last.page).toBe(2);
    expect(last.rows.map((row) => row.number)).toEqual([51, 52, 53].map((n) => `${bigRound.code}-00${n}`));
  });

  it("exports the filtered list, in the list's order, as an .xlsx workbook", async () => {
    const workbook = await applicationListWorkbook(roundId, query(`status=returned&sort=number&dir=desc`));
    expect(workbook.count).toBe(2);
    expect(workbook.fileName).toMatch(/^测试批次.+-申报列表-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const rows = await readRows(workbook.bytes, workbook.fileName);
    expect(rows[0]?.[0]).toBe("申报编号");
    expect(rows.slice(1).map((row) => row[0])).toEqual([numbers.returned, numbers.overdue].sort().reverse());
    expect(rows.slice(1).map((row) => [row[7], row[10]])).toEqual([
      ["退回补正", "否"],
      ["退回补正", "是"],
    ]);
  });

  it("counts the round's dashboard: by status, submitted today (Beijing day), per provider", async () => {
    const dashboard = await roundDashboard(roundId);
    const count = (status: string) => dashboard.statusCounts.find((s) => s.status === status)?.count;
    expect(count("submitted")).toBe(2);
    expect(count("returned")).toBe(2);
    expect(count("draft")).toBe(1);
    expect(count("accepted")).toBe(1);
    expect(dashboard).toMatchObject({ total: 6, submitted: 5, drafts: 1 });
    // Only the application submitted "now" is certainly within today's Beijing day; the others are days old.
    expect(dashboard.submittedToday).toBe(1);
    expect(dashboard.providers).toEqual([
      { id: providerA.id, name: providerA.name, total: 3, submitted: 3, drafts: 0 },
      { id: providerB.id, name: providerB.name, total: 3, submitted: 2, drafts: 1 },
    ]);
    expect((await providerChoices(roundId)).map((p) => p.id).sort()).toEqual([providerA.id, providerB.id].sort());
  });

  it("R-ELIG-4: picks the round asked for, counts the desk and lists refused claims with who filed the enterprise", async () => {
    const disbursement = new Date("2026-12-20T15:59:59.999Z");
    await prisma.round.update({ where: { id: roundId }, data: { disbursementDeadline: disbursement } });
    const round = await chooseRound(roundId);
    expect(round).toMatchObject({ id: roundId, disbursementDeadline: disbursement, isDemo: false });
    expect(round?.deadline).toBeInstanceOf(Date);
    expect((await roundChoices()).map((r) => r.id)).toContain(roundId);
    expect(await deskCounts()).toMatchObject({ verified: 2, pending: 0, refused: 0, experts: 0 });

    const filed = await prisma.application.findUniqueOrThrow({
      where: { id: ids.overdue },
      include: { enterprise: true },
    });
    await prisma.enterpriseClaimAttempt.create({
      data: {
        roundId,
        enterpriseId: filed.enterpriseId,
        organisationId: providerA.id,
        at: new Date("2026-11-23T02:03:04Z"),
      },
    });
    expect(await claimAttempts(roundId)).toEqual([
      {
        id: expect.any(String) as string,
        at: "2026-11-23 10:03:04",
        enterprise: filed.enterprise.name,
        attemptedBy: providerA.name,
        filedBy: `${providerB.name}（${filed.number}）`,
      },
    ]);
  });
});
