/**
 * R-REV-3 at province scale, against both real databases: the fingerprint index lives in the database
 * (shared by every instance, nothing kept in a process), a copy of an earlier year's report is found,
 * the evidence names the other report's round (not its provider, for experts), staff narrow the scope,
 * reports analysed before the index moved into the database are indexed once, and two instances
 * analysing two copies at the same moment store the pair once (PostgreSQL: PGlite is one process).
 */
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { getApplicationSimilarity, listFlaggedPairs } from "~/models/similarity.server.ts";
import { drainSimilarity, runSimilarityOnce } from "~/services/similarity.server.ts";
import { objectStore } from "~/services/storage.server.ts";
import { closeDatabase, type Db, openDatabase } from "~/utils/db.server.ts";

import { assignExpert, createApplication, createProvider, createRound, createUser } from "../utils/scenario.ts";
import { reportPdf, reportTexts } from "../utils/similarity-fixtures.ts";
import { useFreshDatabase, VARIANTS } from "../utils/test-database.ts";

type Round = Awaited<ReturnType<typeof createRound>>;

async function application(prisma: Db, round: Round, seq: number, report: Uint8Array) {
  const provider = await createProvider(prisma);
  const enterprise = round.enterprises[seq];
  if (!enterprise) throw new Error("no enterprise");
  return createApplication(prisma, {
    roundId: round.id,
    enterpriseId: enterprise.id,
    organisationId: provider.organisation.id,
    createdById: provider.user.id,
    store: objectStore(),
    reportPdf: report,
  });
}

async function reportPairs(prisma: Db, ids: string[]) {
  return prisma.similarityMatch.findMany({
    where: { kind: "report", applicationAId: { in: ids }, applicationBId: { in: ids } },
  });
}

describe.each(VARIANTS)("R-REV-3 the copy check's index in the database on %s", (variant) => {
  let prisma: Db;

  beforeAll(async () => {
    const fresh = await useFreshDatabase(variant);
    prisma = fresh.prisma;
    process.env.DATA_DIR = fresh.dataDir;
    globalThis.__subsidyPortalStore = undefined;
  });
  afterAll(async () => {
    await closeDatabase();
  });

  it("R-REV-3 finds a copy of an earlier year's report; the evidence names its round, never its provider to an expert; staff narrow the scope", async () => {
    const earlier = await createRound(prisma);
    await prisma.round.update({ where: { id: earlier.id }, data: { year: 2021 } });
    const texts = reportTexts(41);
    const first = await application(prisma, earlier, 0, await reportPdf(texts.original));
    await drainSimilarity(prisma);

    const current = await createRound(prisma);
    const second = await application(prisma, current, 0, await reportPdf(texts.copy));
    const other = await application(prisma, current, 1, await reportPdf(texts.other));
    const staff = await createUser(prisma, ["staff"]);
    const expert = await createUser(prisma, ["expert"]);
    await assignExpert(prisma, { applicationId: second.id, expertId: expert.user.id, assignedById: staff.user.id });
    await drainSimilarity(prisma);

    // The index is rows in the database: every analysed report has its hashes there.
    const reports = await prisma.reportText.findMany({
      where: { applicationId: { in: [first.id, second.id, other.id] } },
      include: { _count: { select: { fingerprints: true } } },
    });
    expect(reports).toHaveLength(3);
    for (const report of reports) {
      expect(report.status).toBe("done");
      expect(report.indexHashes).toBeGreaterThan(10);
      expect(report._count.fingerprints).toBe(report.indexHashes);
    }

    const pairs = await reportPairs(prisma, [first.id, second.id, other.id]);
    expect(pairs).toHaveLength(1);
    expect(new Set([pairs[0]?.applicationAId, pairs[0]?.applicationBId])).toEqual(new Set([first.id, second.id]));
    expect(pairs[0]?.score).toBeGreaterThan(0.6);

    const view = await getApplicationSimilarity(second.id, { role: "expert", userId: expert.user.id });
    const match = view?.reportMatches[0];
    expect(match?.other.number).toBe(first.number);
    expect(match?.otherRoundName).toBe(earlier.name);
    expect(match?.other.organisationName).toBeNull();

    // Scope: every round by default; this round or this year leave the earlier year's copy out.
    const listed = (scope: "all" | "round" | "year") =>
      listFlaggedPairs({ roundId: current.id, kind: "report", scope, q: "" }, null);
    expect(
      (await listed("all"))?.rows.map((r) => r.b.roundName === current.name || r.a.roundName === current.name),
    ).toEqual([true]);
    expect((await listed("round"))?.total).toBe(0);
    expect((await listed("year"))?.total).toBe(0);
    await prisma.round.update({ where: { id: earlier.id }, data: { year: current.year } });
    expect((await listed("year"))?.total).toBe(1);
    expect((await listed("round"))?.total).toBe(0);
  });

  it("R-REV-3 reports analysed before the index moved into the database are indexed once by the worker, and their pairs kept", async () => {
    const round = await createRound(prisma);
    const texts = reportTexts(43);
    const first = await application(prisma, round, 0, await reportPdf(texts.original));
    const second = await application(prisma, round, 1, await reportPdf(texts.copy));
    await drainSimilarity(prisma);
    const before = await reportPairs(prisma, [first.id, second.id]);
    expect(before).toHaveLength(1);

    // As the migration leaves them: analysed, no index rows, one pair of the pair lost too.
    await prisma.reportFingerprint.deleteMany({});
    await prisma.reportText.updateMany({ data: { indexHashes: null } });
    await prisma.similarityMatch.deleteMany({ where: { id: before[0]?.id } });

    await drainSimilarity(prisma);
    expect(await prisma.reportText.count({ where: { status: "done", indexHashes: null } })).toBe(0);
    const after = await reportPairs(prisma, [first.id, second.id]);
    expect(after).toHaveLength(1);
    expect(after[0]?.score).toBeCloseTo(before[0]?.score ?? 0, 6);
    expect(after[0]?.passages).toEqual(before[0]?.passages);
    expect(await runSimilarityOnce(prisma)).toEqual({ reports: 0, photos: 0 });
  });
});

describe("R-REV-3 two portal instances on one PostgreSQL", () => {
  let url: string;
  let dataDir: string;
  const instances: Array<Awaited<ReturnType<typeof openDatabase>>> = [];

  beforeAll(async () => {
    const fresh = await useFreshDatabase("postgres");
    if (!fresh.url) throw new Error("no url");
    url = fresh.url;
    dataDir = fresh.dataDir;
    process.env.DATA_DIR = fresh.dataDir;
    globalThis.__subsidyPortalStore = undefined;
  });
  afterAll(async () => {
    for (const instance of instances) await instance.close();
    await closeDatabase();
  });

  it("R-REV-3 two instances analysing two copies at the same moment find the pair, and store it once", async () => {
    // Two instances: two clients with their own connection pools, each running the worker.
    for (let i = 0; i < 2; i++)
      instances.push(await openDatabase({ url, dataDir: path.join(dataDir || os.tmpdir(), `instance-${i}`) }));
    const [a, b] = instances.map((instance) => instance.client);
    if (!a || !b) throw new Error("no instances");
    for (const seed of [51, 52, 53]) {
      const round = await createRound(a);
      const texts = reportTexts(seed);
      const first = await application(a, round, 0, await reportPdf(texts.original));
      const second = await application(a, round, 1, await reportPdf(texts.copy));
      // Both reports claimed long ago by a worker that died: each instance takes one of them over (the
      // claim skips a row another instance holds), so the two are analysed at the same moment.
      for (const [i, app] of [first, second].entries()) {
        const file = await a.applicationMaterial.findFirstOrThrow({ where: { applicationId: app.id, material: "M8" } });
        await a.reportText.create({
          data: {
            fileId: file.fileId,
            applicationId: app.id,
            status: "pending",
            claimedAt: new Date(Date.now() - (60 + i) * 60_000),
          },
        });
      }
      const [ra, rb] = await Promise.all([
        runSimilarityOnce(a, { reports: 1, photos: 0 }),
        runSimilarityOnce(b, { reports: 1, photos: 0 }),
      ]);
      // Each instance analysed one of the two reports, at the same time.
      expect([ra.reports, rb.reports]).toEqual([1, 1]);
      const pairs = await reportPairs(a, [first.id, second.id]);
      expect(pairs).toHaveLength(1);
      expect(pairs[0]?.score).toBeGreaterThan(0.6);
      await drainSimilarity(a);
    }
  });
});
