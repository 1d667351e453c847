/**
 * R-REV-3 against both real databases, with the real workers: a provider submits a printed, sealed and
 * scanned report (no text layer) whose text is a copy of another provider's typed report. The similarity
 * worker queues the scan's page for OCR, the OCR worker reads it (claiming it with FOR UPDATE SKIP
 * LOCKED), the similarity worker then pairs it with its typed original; the text is cached by SHA-256
 * (the same scan submitted again is not read twice), and what staff and experts see says it was OCR'd.
 * A page or two per database: OCR costs seconds a page.
 */
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { parseLayout } from "~/domain/similarity/report-layout.ts";
import { getOcrProgress } from "~/models/ocr.server.ts";
import { getApplicationSimilarity } from "~/models/similarity.server.ts";
import { drainOcr, runOcrOnce } from "~/services/ocr.server.ts";
import { drainSimilarity } from "~/services/similarity.server.ts";
import { objectStore } from "~/services/storage.server.ts";
import { closeDatabase, type Db } from "~/utils/db.server.ts";

import { createApplication, createProvider, createRound } from "../utils/scenario.ts";
import { drainReportReading, reportPdf, reportTexts, sealedScanPdf } from "../utils/similarity-fixtures.ts";
import { useFreshDatabase, VARIANTS } from "../utils/test-database.ts";

describe.each(VARIANTS)("R-REV-3 scanned reports on %s", (variant) => {
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

  it(
    "R-REV-3 reads a sealed scan by OCR and pairs it with its typed original; the same scan is read once",
    { timeout: 240_000 },
    async () => {
      const round = await createRound(prisma);
      const submit = async (seq: number, report: Uint8Array) => {
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
      };
      // One page of text: the copy has another company's name and a fifth of its sentences replaced.
      const seed = 3100 + Math.floor(Math.random() * 1000);
      const texts = reportTexts(seed, 380);
      const typed = await submit(0, await reportPdf(texts.original));
      const scanBytes = await sealedScanPdf(texts.copy, { seed, seal: "淄博恒泰陶瓷有限公司" });
      const scanned = await submit(1, scanBytes);
      const pages = (await PDFDocument.load(scanBytes)).getPageCount();
      expect(pages).toBeLessThanOrEqual(2);

      await drainSimilarity(prisma);
      expect(await prisma.reportText.findFirstOrThrow({ where: { applicationId: scanned.id } })).toMatchObject({
        status: "ocr",
      });
      expect(await getOcrProgress(round.id)).toEqual({ done: 0, total: pages, failed: 0, reading: 1 });

      expect(await drainOcr(prisma)).toBe(pages);
      expect(await getOcrProgress(round.id)).toEqual({ done: pages, total: pages, failed: 0, reading: 0 });
      await drainSimilarity(prisma);

      const report = await prisma.reportText.findFirstOrThrow({ where: { applicationId: scanned.id } });
      expect(report).toMatchObject({ status: "done", method: "ocr", pages });
      expect(report.ocrConfidence).toBeGreaterThan(0.8);
      // the seal was not read
      expect(report.text).not.toContain("公章");
      const layout = parseLayout(report.layout);
      expect(layout?.pages[0]?.source).toBe("ocr");
      expect(layout?.pages[0]?.lines.length).toBeGreaterThan(5);

      const match = await prisma.similarityMatch.findFirstOrThrow({
        where: { kind: "report", OR: [{ applicationAId: scanned.id }, { applicationBId: scanned.id }] },
      });
      expect([match.applicationAId, match.applicationBId].sort()).toEqual([typed.id, scanned.id].sort());
      expect(match.score).toBeGreaterThanOrEqual(round.similarityThreshold);

      const view = await getApplicationSimilarity(scanned.id, { role: "staff" });
      expect(view?.report).toMatchObject({ state: "done", method: "ocr" });
      expect(view?.reportMatches[0]?.other.applicationId).toBe(typed.id);

      // The same scan submitted by a third provider: its text comes from the cache, no page is read again.
      const again = await submit(2, scanBytes);
      const reading = await drainReportReading(prisma);
      expect(reading.ocrPages).toBe(0);
      expect(await prisma.reportText.findFirstOrThrow({ where: { applicationId: again.id } })).toMatchObject({
        status: "done",
        method: "ocr",
        text: report.text,
      });
      expect(await prisma.ocrPage.count()).toBe(pages);
    },
  );

  it("R-REV-3 OCR workers share the queue: concurrent workers claim different pages, a dead worker's claim is taken over, a report whose pages were all read is handed back", async () => {
    const sha256 = `test-${Math.random().toString(16).slice(2)}`;
    // Pages of a file that cannot be read: each worker fails its page at once (no OCR cost), recording it.
    await prisma.ocrPage.createMany({
      data: [1, 2, 3].map((page) => ({ sha256, fileId: "missing-file", page, pages: 3 })),
    });
    await prisma.ocrPage.update({ where: { sha256_page: { sha256, page: 3 } }, data: { claimedAt: new Date() } }); // a live claim
    const done = await Promise.all([runOcrOnce(prisma), runOcrOnce(prisma)]);
    expect(done).toEqual([true, true]);
    const rows = await prisma.ocrPage.findMany({ where: { sha256 }, orderBy: { page: "asc" } });
    expect(rows.map((r) => r.status)).toEqual(["failed", "failed", "pending"]);
    // the live claim is left alone; once older than the lease it is taken over
    expect(await runOcrOnce(prisma)).toBe(false);
    await prisma.ocrPage.update({
      where: { sha256_page: { sha256, page: 3 } },
      data: { claimedAt: new Date(Date.now() - 60 * 60_000) },
    });
    expect(await runOcrOnce(prisma)).toBe(true);
    expect((await prisma.ocrPage.findUniqueOrThrow({ where: { sha256_page: { sha256, page: 3 } } })).status).toBe(
      "failed",
    );

    // A report left waiting although none of its file's pages waits any more goes back to the similarity worker.
    const round = await createRound(prisma);
    const provider = await createProvider(prisma);
    const enterprise = round.enterprises[0];
    if (!enterprise) throw new Error("no enterprise");
    const app = await createApplication(prisma, {
      roundId: round.id,
      enterpriseId: enterprise.id,
      organisationId: provider.organisation.id,
      createdById: provider.user.id,
      store: objectStore(),
      reportPdf: await reportPdf(reportTexts(9).original),
      status: "draft",
    });
    const material = await prisma.applicationMaterial.findFirstOrThrow({
      where: { applicationId: app.id, material: "M8" },
    });
    await prisma.reportText.create({
      data: { fileId: material.fileId, applicationId: app.id, status: "ocr", claimedAt: new Date() },
    });
    expect(await runOcrOnce(prisma)).toBe(false);
    expect(await prisma.reportText.findFirstOrThrow({ where: { applicationId: app.id } })).toMatchObject({
      status: "pending",
      claimedAt: new Date(0),
    });
  });
});
