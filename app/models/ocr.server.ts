/**
 * R-REV-3: what staff see of the OCR of scanned reports (app/services/ocr.server.ts reads them).
 */
import { db } from "~/utils/db.server.ts";

export type OcrProgress = { done: number; total: number; failed: number; reading: number };

/** OCR of a round's current reports: pages read (or given up) of pages queued, and reports waiting for it. */
export async function getOcrProgress(roundId: string): Promise<OcrProgress> {
  const prisma = await db();
  const rows = await prisma.$queryRaw<Array<{ status: string; n: bigint }>>`
    SELECT o.status::text AS status, COUNT(*) AS n FROM "OcrPage" o
    WHERE o.sha256 IN (SELECT f.sha256 FROM "ApplicationMaterial" m
                       JOIN "StoredFile" f ON f.id = m."fileId"
                       JOIN "Application" a ON a.id = m."applicationId"
                       WHERE a."roundId" = ${roundId} AND m.material = 'M8' AND m."removedAt" IS NULL)
    GROUP BY o.status`;
  let done = 0;
  let total = 0;
  let failed = 0;
  for (const row of rows) {
    const n = Number(row.n);
    total += n;
    if (row.status === "done") done += n;
    if (row.status === "failed") {
      done += n;
      failed += n;
    }
  }
  const reading = await prisma.reportText.count({
    where: { status: "ocr", application: { roundId }, file: { materials: { some: { removedAt: null } } } },
  });
  return { done, total, failed, reading };
}
