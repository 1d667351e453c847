/**
 * R-REV-3, what people see, against both real databases: an application's closest reports with shared
 * passages and its reused photos with EXIF date flags (staff see names, an assigned expert sees only the
 * other application's number, an unassigned expert nothing), who may open a pair's photos, the scan
 * flagged as unreadable, and the round-wide report with its threshold on the record.
 */
import crypto from "node:crypto";
import { Readable } from "node:stream";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { citeEvidence } from "~/domain/similarity/evidence.ts";
import { normalizeReport } from "~/domain/similarity/normalize.ts";
import {
  getApplicationSimilarity,
  getMatchComparison,
  listFlaggedPairs,
  setSimilarityThreshold,
} from "~/models/similarity.server.ts";
import { canReadFile } from "~/models/stored-file.server.ts";
import { objectStore } from "~/services/storage.server.ts";
import { closeDatabase, type Db } from "~/utils/db.server.ts";

import { assignExpert, createApplication, createProvider, createRound, createUser } from "../utils/scenario.ts";
import {
  drainReportReading,
  reportPdf,
  reportTexts,
  reusedCopy,
  scannedPdf,
  sitePhoto,
} from "../utils/similarity-fixtures.ts";
import { useFreshDatabase, VARIANTS } from "../utils/test-database.ts";

// Compared as the engine reads them: a passage may span a page footer or a heading, which normalisation drops.
const content = (text: string) => normalizeReport(text).text.replace(/\n/g, "");

describe.each(VARIANTS)("R-REV-3 similarity as people see it on %s", (variant) => {
  let prisma: Db;
  let round: Awaited<ReturnType<typeof createRound>>;
  const apps: Record<"first" | "second" | "other" | "scan", { id: string; number: string; organisationName: string }> =
    {} as never;
  let expert: { id: string; roles: string[] };
  let outsider: { id: string; roles: string[] };
  let staff: { id: string; name: string };
  const photoIds: { original: string; firstOwn: string } = { original: "", firstOwn: "" };

  async function application(seq: number, report: Uint8Array) {
    const provider = await createProvider(prisma);
    const enterprise = round.enterprises[seq];
    if (!enterprise) throw new Error("no enterprise");
    const app = await createApplication(prisma, {
      roundId: round.id,
      enterpriseId: enterprise.id,
      organisationId: provider.organisation.id,
      createdById: provider.user.id,
      store: objectStore(),
      reportPdf: report,
    });
    return { id: app.id, number: app.number, organisationName: provider.organisation.name };
  }

  async function replacePhotos(applicationId: string, photos: Buffer[]) {
    await prisma.applicationMaterial.updateMany({
      where: { applicationId, material: "M5" },
      data: { removedAt: new Date() },
    });
    const ids: string[] = [];
    for (const [i, bytes] of photos.entries()) {
      const key = `materials/simview-${crypto.randomUUID()}.jpg`;
      await objectStore().put(key, Readable.from([bytes]), "image/jpeg");
      const file = await prisma.storedFile.create({
        data: {
          key,
          fileName: `现场照片${i + 1}.jpg`,
          contentType: "image/jpeg",
          size: bytes.length,
          sha256: crypto.createHash("sha256").update(bytes).digest("hex"),
        },
      });
      await prisma.applicationMaterial.create({
        data: { applicationId, material: "M5", fileId: file.id, photoTag: i === 0 ? "workshop" : "team" },
      });
      ids.push(file.id);
    }
    return ids;
  }

  beforeAll(async () => {
    const fresh = await useFreshDatabase(variant);
    prisma = fresh.prisma;
    process.env.DATA_DIR = fresh.dataDir;
    globalThis.__subsidyPortalStore = undefined;
    round = await createRound(prisma);
    const texts = reportTexts(21);
    apps.first = await application(0, await reportPdf(texts.original));
    apps.second = await application(1, await reportPdf(texts.copy));
    apps.other = await application(2, await reportPdf(texts.other));
    apps.scan = await application(3, await scannedPdf());
    const original = await sitePhoto(404, { takenAt: "2022:08:15 10:00:00" }); // before the contract (2022-09-01)
    [photoIds.original = "", photoIds.firstOwn = ""] = await replacePhotos(apps.first.id, [
      original,
      await sitePhoto(505),
    ]);
    await replacePhotos(apps.second.id, [
      await reusedCopy(original),
      await sitePhoto(606, { takenAt: "2022:09:10 09:00:00" }),
    ]);
    const staffUser = await createUser(prisma, ["staff"]);
    staff = { id: staffUser.user.id, name: staffUser.user.name };
    expert = (await createUser(prisma, ["expert"])).user;
    outsider = (await createUser(prisma, ["expert"])).user;
    await assignExpert(prisma, { applicationId: apps.second.id, expertId: expert.id, assignedById: staff.id });
    await drainReportReading(prisma); // the scan is OCR'd (one page) and found to hold no text
  });
  afterAll(async () => {
    await closeDatabase();
  });

  it("R-REV-3 staff see the closest report with its figure, the other provider and shared passages identical on both sides", async () => {
    const view = await getApplicationSimilarity(apps.second.id, { role: "staff" });
    expect(view?.report.state).toBe("done");
    const match = view?.reportMatches[0];
    expect(view?.reportMatches).toHaveLength(1); // the unrelated report is not close enough to be stored
    expect(match?.other.number).toBe(apps.first.number);
    expect(match?.other.organisationName).toBe(apps.first.organisationName);
    expect(match?.flagged).toBe(true);
    expect(match?.score).toBeGreaterThan(0.6);
    expect(match?.passages.length).toBeGreaterThan(0);
    for (const p of match?.passages ?? []) {
      expect(content(p.mine.match).length).toBeGreaterThanOrEqual(15);
      if (!p.mine.truncated) expect(content(p.theirs.match)).toBe(content(p.mine.match));
    }
    const evidence = match ? citeEvidence(match) : "";
    expect(evidence).toContain(apps.first.number);
    expect(evidence).toContain("相似度");
  });

  it("R-REV-3 an assigned expert sees the match and passages but not the other application's provider or enterprise; others see nothing", async () => {
    const view = await getApplicationSimilarity(apps.second.id, { role: "expert", userId: expert.id });
    const match = view?.reportMatches[0];
    expect(match?.other).toEqual({
      applicationId: apps.first.id,
      number: apps.first.number,
      organisationName: null,
      enterpriseName: null,
    });
    expect(view?.photoMatches[0]?.other.organisationName).toBeNull();
    expect(view?.forStaff).toBe(false);
    expect(JSON.stringify(view)).not.toContain(apps.first.organisationName);
    expect(await getApplicationSimilarity(apps.second.id, { role: "expert", userId: outsider.id })).toBeNull();
    expect(await getApplicationSimilarity(apps.first.id, { role: "expert", userId: expert.id })).toBeNull();
  });

  it("R-REV-3 a reused photo is shown with both photos and the EXIF date flagged against the other application's contract date", async () => {
    const view = await getApplicationSimilarity(apps.second.id, { role: "staff" });
    expect(view?.photoMatches).toHaveLength(1);
    const pair = view?.photoMatches[0];
    expect(pair?.theirs.fileId).toBe(photoIds.original);
    expect(pair?.theirs.takenAtLocal).toBe("2022-08-15 10:00:00");
    expect(pair?.theirs.dateFlag).toBe("before_contract");
    expect(pair?.score).toBeGreaterThan(0.9);
    // Its own photos with their EXIF dates beside the claimed period (2022-09-01 … 2022-09-20).
    expect(view?.photos.map((p) => p.takenAtLocal).sort()).toEqual(["2022-09-10 09:00:00", null].sort());
    expect(view?.photos.every((p) => p.dateFlag === null)).toBe(true);
    const first = await getApplicationSimilarity(apps.first.id, { role: "staff" });
    expect(first?.photos.find((p) => p.fileId === photoIds.original)?.dateFlag).toBe("before_contract");
  });

  it("R-REV-3 R-REV-5 an expert may open the photos of its application and the other photo of its pair once it declared no conflict, nothing else, never a removed photo", async () => {
    const view = await getApplicationSimilarity(apps.second.id, { role: "staff" });
    const mine = view?.photos[0]?.fileId ?? "";
    // Assigned but not yet declared free of conflict (issue 13, finding 4): nothing.
    expect(await canReadFile(expert, mine)).toBe(false);
    expect(await canReadFile(expert, photoIds.original)).toBe(false);
    await prisma.expertAssignment.updateMany({
      where: { expertId: expert.id, applicationId: apps.second.id },
      data: { noConflictConfirmedAt: new Date() },
    });
    expect(await canReadFile(expert, mine)).toBe(true);
    expect(await canReadFile(expert, photoIds.original)).toBe(true);
    expect(await canReadFile(expert, photoIds.firstOwn)).toBe(false);
    expect(await canReadFile(outsider, photoIds.original)).toBe(false);
    expect(await canReadFile({ id: staff.id, roles: ["staff"] }, photoIds.firstOwn)).toBe(true);
    expect(await canReadFile({ id: "p", roles: ["provider"] }, mine)).toBe(false);
    // A photo the provider removed is no longer served to the expert (the record keeps it for staff).
    const removedAt = new Date();
    await prisma.applicationMaterial.updateMany({
      where: { fileId: { in: [mine, photoIds.original] } },
      data: { removedAt },
    });
    expect(await canReadFile(expert, mine)).toBe(false);
    expect(await canReadFile(expert, photoIds.original)).toBe(false);
    expect(await canReadFile({ id: staff.id, roles: ["staff"] }, mine)).toBe(true);
    await prisma.applicationMaterial.updateMany({
      where: { fileId: { in: [mine, photoIds.original] }, removedAt },
      data: { removedAt: null },
    });
  });

  it("R-REV-3 a scan without a text layer is flagged as such, never shown as original", async () => {
    const view = await getApplicationSimilarity(apps.scan.id, { role: "staff" });
    expect(view?.report.state).toBe("no_text");
    expect(view?.reportMatches).toEqual([]);
    const report = await listFlaggedPairs({ roundId: round.id, kind: "all", q: "" }, null);
    expect(report?.unreadable.map((a) => a.number)).toEqual([apps.scan.number]);
    expect(report?.waiting).toBe(0);
  });

  it("R-REV-3 the round-wide report lists flagged pairs, filters and searches them, and follows the threshold staff set on the record", async () => {
    const all = await listFlaggedPairs({ roundId: round.id, kind: "all", q: "" }, { skip: 0, take: 50 });
    expect(all?.threshold).toBe(0.5);
    expect(all?.rows.map((r) => r.kind).sort()).toEqual(["photo", "report"]);
    expect(all?.total).toBe(2);
    expect((await listFlaggedPairs({ roundId: round.id, kind: "photo", q: "" }, null))?.total).toBe(1);
    expect((await listFlaggedPairs({ roundId: round.id, kind: "all", q: apps.first.number }, null))?.total).toBe(2);
    expect(
      (await listFlaggedPairs({ roundId: round.id, kind: "all", q: apps.second.organisationName }, null))?.total,
    ).toBe(2);
    expect((await listFlaggedPairs({ roundId: round.id, kind: "all", q: apps.other.number }, null))?.total).toBe(0);
    expect(
      (await listFlaggedPairs({ roundId: round.id, kind: "all", q: "" }, { skip: 1, take: 1 }))?.rows,
    ).toHaveLength(1);

    const reportRow = all?.rows.find((r) => r.kind === "report");
    const comparison = await getMatchComparison(reportRow?.matchId ?? "");
    if (comparison?.kind !== "report") throw new Error("expected a report comparison");
    expect(comparison.a.highlights.length).toBeGreaterThan(0);
    const h = comparison.a.highlights[0];
    expect(h && comparison.a.text.slice(h.start, h.end).length).toBeGreaterThan(10);
    expect(new Set([comparison.a.number, comparison.b.number])).toEqual(
      new Set([apps.first.number, apps.second.number]),
    );

    await setSimilarityThreshold({ id: staff.id, name: staff.name }, round.id, 0.99);
    const strict = await listFlaggedPairs({ roundId: round.id, kind: "all", q: "" }, null);
    expect(strict?.rows.map((r) => r.kind)).toEqual(["photo"]);
    const view = await getApplicationSimilarity(apps.second.id, { role: "staff" });
    expect(view?.reportMatches[0]?.flagged).toBe(false); // still shown as the closest, no longer flagged
    const audit = await prisma.auditEntry.findMany({
      where: { entityType: "round", entityId: round.id, action: "round.similarity_threshold" },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actorId).toBe(staff.id);
    expect(audit[0]?.before).toEqual({ similarityThreshold: 0.5 });
    expect(audit[0]?.after).toEqual({ similarityThreshold: 0.99 });
  });
});
