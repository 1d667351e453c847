/**
 * R-REV-3 against both real databases: the background worker reads the report PDFs of submitted
 * applications, stores the copy it finds with its shared passages, flags a scan without a text layer,
 * catches a reused (resized, recompressed) site photo, reads EXIF capture dates, and leaves drafts alone.
 */
import crypto from "node:crypto";
import { Readable } from "node:stream";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { drainSimilarity, REPORT_STORE_FLOOR, runSimilarityOnce } from "~/services/similarity.server.ts";
import { objectStore } from "~/services/storage.server.ts";
import { closeDatabase, type Db } from "~/utils/db.server.ts";

import { createApplication, createProvider, createRound } from "../utils/scenario.ts";
import {
  drainReportReading,
  reportPdf,
  reportTexts,
  reusedCopy,
  scannedPdf,
  sitePhoto,
} from "../utils/similarity-fixtures.ts";
import { useFreshDatabase, VARIANTS } from "../utils/test-database.ts";

describe.each(VARIANTS)("R-REV-3 similarity worker on %s", (variant) => {
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

  async function application(
    round: Awaited<ReturnType<typeof createRound>>,
    seq: number,
    report: Uint8Array,
    status: "draft" | "submitted" = "submitted",
  ) {
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
      status,
    });
  }

  async function replacePhotos(applicationId: string, photos: Buffer[]) {
    await prisma.applicationMaterial.updateMany({
      where: { applicationId, material: "M5" },
      data: { removedAt: new Date() },
    });
    for (const [i, bytes] of photos.entries()) {
      const key = `materials/sim-${crypto.randomUUID()}.jpg`;
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
    }
  }

  it("R-REV-3 stores the match between two near-identical report PDFs with shared passages in both texts", async () => {
    const round = await createRound(prisma);
    const texts = reportTexts(5);
    const first = await application(round, 0, await reportPdf(texts.original));
    const second = await application(round, 1, await reportPdf(texts.copy));
    const unrelated = await application(round, 2, await reportPdf(texts.other));
    const draft = await application(round, 3, await reportPdf(texts.original), "draft");

    await drainSimilarity(prisma);

    const reports = await prisma.reportText.findMany({
      where: { applicationId: { in: [first.id, second.id, unrelated.id, draft.id] } },
    });
    expect(reports.map((r) => r.status).sort()).toEqual(["done", "done", "done"]);
    expect(reports.some((r) => r.applicationId === draft.id)).toBe(false); // drafts are never read
    const firstText = reports.find((r) => r.applicationId === first.id);
    expect(firstText?.text).toContain("有限公司");

    const matches = await prisma.similarityMatch.findMany({
      where: {
        kind: "report",
        OR: [
          { applicationAId: { in: [first.id, second.id, unrelated.id] } },
          { applicationBId: { in: [first.id, second.id, unrelated.id] } },
        ],
      },
    });
    expect(matches).toHaveLength(1);
    const match = matches[0];
    if (!match) throw new Error("no match");
    expect(new Set([match.applicationAId, match.applicationBId])).toEqual(new Set([first.id, second.id]));
    expect(match.score).toBeGreaterThan(0.6);
    expect(match.score).toBeLessThan(1);
    // The passages are ranges of the two stored texts holding the same words.
    const textOf = async (fileId: string) => (await prisma.reportText.findUniqueOrThrow({ where: { fileId } })).text;
    const a = await textOf(match.fileAId);
    const b = await textOf(match.fileBId);
    const passages = match.passages as Array<{ a: { start: number; end: number }; b: { start: number; end: number } }>;
    expect(passages.length).toBeGreaterThan(3);
    // (Compared as letters and digits only: a slice's first line can look like a page number on its own.)
    const content = (text: string) =>
      text
        .normalize("NFKC")
        .replace(/[^\p{L}\p{N}]/gu, "")
        .toLowerCase();
    for (const p of passages.slice(0, 20)) {
      const inA = content(a.slice(p.a.start, p.a.end));
      expect(inA.length).toBeGreaterThanOrEqual(15);
      expect(content(b.slice(p.b.start, p.b.end))).toBe(inA);
    }
    expect(match.score).toBeGreaterThanOrEqual(REPORT_STORE_FLOOR);

    // Running again finds nothing new and stores nothing twice.
    expect(await runSimilarityOnce(prisma)).toEqual({ reports: 0, photos: 0 });
    expect(
      await prisma.similarityMatch.count({ where: { kind: "report", applicationBId: { in: [first.id, second.id] } } }),
    ).toBe(1);
  });

  it("R-REV-3 flags a report PDF in which neither text layer nor OCR finds text as no_text, never as original", async () => {
    const round = await createRound(prisma);
    const scan = await application(round, 0, await scannedPdf());
    await drainSimilarity(prisma);
    // a page that is one image: queued for OCR first
    expect(await prisma.reportText.findFirstOrThrow({ where: { applicationId: scan.id } })).toMatchObject({
      status: "ocr",
    });
    await drainReportReading(prisma);
    const report = await prisma.reportText.findFirstOrThrow({ where: { applicationId: scan.id } });
    expect(report.status).toBe("no_text");
    expect(report.pages).toBe(1);
    expect(
      await prisma.similarityMatch.count({ where: { OR: [{ applicationAId: scan.id }, { applicationBId: scan.id }] } }),
    ).toBe(0);
  });

  it("R-REV-3 catches a resized, recompressed copy of a site photo and reads EXIF capture dates", async () => {
    const round = await createRound(prisma);
    const texts = reportTexts(9);
    const first = await application(round, 0, await reportPdf(texts.original));
    const second = await application(round, 1, await reportPdf(texts.other));
    const original = await sitePhoto(101, { takenAt: "2022:08:15 10:00:00" });
    await replacePhotos(first.id, [original, await sitePhoto(202)]);
    await replacePhotos(second.id, [await reusedCopy(original), await sitePhoto(303)]);

    await drainSimilarity(prisma);

    const photos = await prisma.photoFingerprint.findMany({ where: { applicationId: { in: [first.id, second.id] } } });
    const current = photos.filter((p) => p.hash !== null);
    expect(current).toHaveLength(4); // the scenario's solid-colour placeholders get no hash
    expect(photos.find((p) => p.takenOn === "2022-08-15")?.takenAtLocal).toBe("2022-08-15 10:00:00");
    const matches = await prisma.similarityMatch.findMany({
      where: {
        kind: "photo",
        OR: [{ applicationAId: { in: [first.id, second.id] } }, { applicationBId: { in: [first.id, second.id] } }],
      },
    });
    expect(matches).toHaveLength(1);
    expect(matches[0]?.score).toBeGreaterThan(0.9);
    expect(new Set([matches[0]?.applicationAId, matches[0]?.applicationBId])).toEqual(new Set([first.id, second.id]));
  });

  it("R-REV-3 takes over a claim whose worker died, and never claims a file twice", async () => {
    const round = await createRound(prisma);
    const app = await application(round, 0, await reportPdf(reportTexts(13).original));
    const file = await prisma.applicationMaterial.findFirstOrThrow({
      where: { applicationId: app.id, material: "M8" },
    });
    await prisma.reportText.create({
      data: {
        fileId: file.fileId,
        applicationId: app.id,
        status: "pending",
        claimedAt: new Date(Date.now() - 60 * 60_000),
      },
    });
    await drainSimilarity(prisma);
    const rows = await prisma.reportText.findMany({ where: { fileId: file.fileId } });
    expect(rows.map((r) => r.status)).toEqual(["done"]);
  });
});
