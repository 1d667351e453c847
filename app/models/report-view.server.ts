/**
 * R-REV-3 ("the expert must point to the evidence"): where the copy check's matched passages sit on
 * the pages of a report, for the viewer (app/components/report-viewer.tsx). The passages are chosen and
 * named as the copy-check panel lists them (app/models/similarity.server.ts: the closest reports, the
 * longest passages of each), so that a passage in the list can jump to its place in the report.
 */
import { parseLayout, type PassageHighlight, passageHighlights, passageId } from "~/domain/similarity/report-layout.ts";
import { type StoredPassage, storedPassages } from "~/models/similarity.server.ts";
import { db } from "~/utils/db.server.ts";

/** As app/models/similarity.server.ts shows them: closest other reports, and passages per pair. */
const CLOSEST_REPORTS = 5;
const PASSAGES_SHOWN = 5;

/**
 * R-REV-3: the highlights of an application's current report (null when it has none, or for an expert
 * the application is not assigned to it).
 */
export async function getReportHighlights(
  applicationId: string,
  viewer: { role: "staff" } | { role: "expert"; userId: string },
): Promise<{ fileId: string; highlights: PassageHighlight[] } | null> {
  const prisma = await db();
  const material = await prisma.applicationMaterial.findFirst({
    where: {
      applicationId,
      material: "M8",
      removedAt: null,
      ...(viewer.role === "expert"
        ? { application: { assignments: { some: { expertId: viewer.userId, withdrawnAt: null } } } }
        : {}),
    },
    select: { fileId: true, file: { select: { reportText: { select: { status: true, layout: true } } } } },
  });
  if (!material) return null;
  const fileId = material.fileId;
  const layout = material.file.reportText?.status === "done" ? parseLayout(material.file.reportText.layout) : null;
  if (!layout) return { fileId, highlights: [] };
  const rows = await prisma.similarityMatch.findMany({
    where: { kind: "report", OR: [{ fileAId: fileId }, { fileBId: fileId }] },
    orderBy: { score: "desc" },
    select: { id: true, fileAId: true, fileBId: true, passages: true },
  });
  const others = rows.map((r) => (r.fileAId === fileId ? r.fileBId : r.fileAId));
  const live = new Set(
    (
      await prisma.applicationMaterial.findMany({
        where: { fileId: { in: others }, removedAt: null },
        select: { fileId: true },
      })
    ).map((m) => m.fileId),
  );
  const passages: Array<{ id: string; range: StoredPassage["a"] }> = [];
  for (const row of rows
    .filter((r) => live.has(r.fileAId === fileId ? r.fileBId : r.fileAId))
    .slice(0, CLOSEST_REPORTS)) {
    const mineIsA = row.fileAId === fileId;
    storedPassages(row.passages)
      .sort((x, y) => y.length - x.length)
      .slice(0, PASSAGES_SHOWN)
      .map((p) => (mineIsA ? p.a : p.b))
      .sort((x, y) => x.start - y.start)
      .forEach((range, k) => passages.push({ id: passageId(row.id, k), range }));
  }
  return { fileId, highlights: passageHighlights(layout, passages) };
}

/**
 * R-REV-3: both reports of a stored pair with every shared passage highlighted (staff's side-by-side
 * view); passage k (in the order of report A) has the same id on both sides.
 */
export async function getComparisonHighlights(
  matchId: string,
): Promise<{ a: PassageHighlight[]; b: PassageHighlight[]; passages: number } | null> {
  const prisma = await db();
  const match = await prisma.similarityMatch.findUnique({
    where: { id: matchId },
    select: { kind: true, fileAId: true, fileBId: true, passages: true },
  });
  if (!match || match.kind !== "report") return null;
  const texts = await prisma.reportText.findMany({
    where: { fileId: { in: [match.fileAId, match.fileBId] } },
    select: { fileId: true, layout: true },
  });
  const layoutOf = (fileId: string) => parseLayout(texts.find((t) => t.fileId === fileId)?.layout ?? null);
  const passages = storedPassages(match.passages).sort((x, y) => x.a.start - y.a.start);
  const a = layoutOf(match.fileAId);
  const b = layoutOf(match.fileBId);
  return {
    a: a
      ? passageHighlights(
          a,
          passages.map((p, k) => ({ id: `p${k}`, range: p.a })),
        )
      : [],
    b: b
      ? passageHighlights(
          b,
          passages.map((p, k) => ({ id: `p${k}`, range: p.b })),
        )
      : [],
    passages: passages.length,
  };
}
