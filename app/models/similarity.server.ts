/**
 * R-REV-3: what staff and experts see of the copy check (app/services/similarity.server.ts finds the
 * pairs; this module reads them for people).
 *
 * - getApplicationSimilarity: one application's closest other reports with their shared passages, its
 *   report's extraction state, its site photos with their EXIF capture dates beside the claimed
 *   diagnosis period, and its reused photos. An expert gets it only for an application assigned to it
 *   (checked inside the query), and never the other application's provider or enterprise name.
 * - getMatchComparison: the full side-by-side comparison of one pair (staff).
 * - listFlaggedPairs / setSimilarityThreshold: the round-wide report and its threshold (staff).
 */
import {
  type ApplicationSimilarityView,
  excerpt,
  type OtherApplication,
  type PassagePair,
  type PhotoMatchView,
  type PhotoView,
  type ReportMatchView,
  type ReportState,
  type TextRange,
} from "~/domain/similarity/evidence.ts";
import { photoDateFlag } from "~/domain/similarity/photo.ts";
import { mergeRanges } from "~/domain/similarity/verify.ts";
import { applicationMatching } from "~/models/application-search.server.ts";
import { type Actor, recordAudit } from "~/models/audit.server.ts";
import type { Prisma } from "~/utils/db.server.ts";
import { db } from "~/utils/db.server.ts";
import type { SimilarityScope } from "~/utils/similarity-query.ts";

/** Who is looking: staff see names and everything; an expert sees only applications assigned to it. */
export type SimilarityViewer = { role: "staff" } | { role: "expert"; userId: string };

/** Closest other reports shown per application, and passages shown per report pair. */
const CLOSEST_REPORTS = 5;
const PASSAGES_SHOWN = 5;
/** Pairs below this are not stored (the worker's REPORT_STORE_FLOOR): the threshold cannot go lower. */
export const MIN_THRESHOLD = 0.2;

export type StoredPassage = { a: TextRange; b: TextRange; length: number };

/** The matched passages a stored match carries (JSON), any malformed entry left out. */
export function storedPassages(value: Prisma.JsonValue | null): StoredPassage[] {
  if (!Array.isArray(value)) return [];
  const out: StoredPassage[] = [];
  for (const item of value) {
    if (!item || typeof item !== "object" || Array.isArray(item)) continue;
    const a = item.a;
    const b = item.b;
    const length = item.length;
    if (!isRange(a) || !isRange(b) || typeof length !== "number") continue;
    out.push({ a: { start: a.start, end: a.end }, b: { start: b.start, end: b.end }, length });
  }
  return out;
}

function isRange(value: Prisma.JsonValue | undefined): value is { start: number; end: number } {
  return (
    !!value &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    typeof value.start === "number" &&
    typeof value.end === "number"
  );
}

const otherSelect = {
  id: true,
  number: true,
  contractSignedOn: true,
  diagnosisCompletedOn: true,
  organisation: { select: { name: true } },
  enterprise: { select: { name: true } },
  round: { select: { name: true } },
} satisfies Prisma.ApplicationSelect;

type OtherRow = Prisma.ApplicationGetPayload<{ select: typeof otherSelect }>;

function otherApplication(row: OtherRow, forStaff: boolean): OtherApplication {
  return {
    applicationId: row.id,
    number: row.number,
    organisationName: forStaff ? row.organisation.name : null,
    enterpriseName: forStaff ? row.enterprise.name : null,
  };
}

const photoFileSelect = {
  id: true,
  fileName: true,
  photoFingerprint: { select: { status: true, takenAtLocal: true, takenOn: true, latitude: true, longitude: true } },
} satisfies Prisma.StoredFileSelect;

function photoView(
  file: Prisma.StoredFileGetPayload<{ select: typeof photoFileSelect }>,
  dates: { contractSignedOn: string; diagnosisCompletedOn: string },
): PhotoView {
  const fp = file.photoFingerprint;
  return {
    fileId: file.id,
    fileName: file.fileName,
    takenAtLocal: fp?.takenAtLocal ?? null,
    latitude: fp?.latitude ?? null,
    longitude: fp?.longitude ?? null,
    dateFlag: photoDateFlag(fp?.takenOn, dates.contractSignedOn, dates.diagnosisCompletedOn),
  };
}

function readMethodOf(value: string | null | undefined): "text" | "ocr" | "mixed" | null {
  return value === "text" || value === "ocr" || value === "mixed" ? value : null;
}

/** The subset of the given files that are still current materials (not replaced or deleted). */
async function currentFiles(fileIds: string[]): Promise<Set<string>> {
  if (fileIds.length === 0) return new Set();
  const prisma = await db();
  const rows = await prisma.applicationMaterial.findMany({
    where: { fileId: { in: fileIds }, removedAt: null },
    select: { fileId: true },
  });
  return new Set(rows.map((r) => r.fileId));
}

/**
 * R-REV-3 items 2–4 and 6 for one application, as `viewer` may see it; null when the application does
 * not exist or (for an expert) is not assigned to it.
 */
export async function getApplicationSimilarity(
  applicationId: string,
  viewer: SimilarityViewer,
): Promise<ApplicationSimilarityView | null> {
  const prisma = await db();
  const forStaff = viewer.role === "staff";
  const application = await prisma.application.findFirst({
    where: {
      id: applicationId,
      ...(viewer.role === "expert" ? { assignments: { some: { expertId: viewer.userId, withdrawnAt: null } } } : {}),
    },
    select: {
      id: true,
      number: true,
      contractSignedOn: true,
      diagnosisCompletedOn: true,
      round: { select: { similarityThreshold: true } },
      materials: {
        where: { removedAt: null, material: { in: ["M8", "M5"] } },
        orderBy: { createdAt: "asc" },
        select: {
          material: true,
          file: {
            select: {
              ...photoFileSelect,
              reportText: { select: { status: true, pages: true, method: true, ocrConfidence: true } },
            },
          },
        },
      },
    },
  });
  if (!application) return null;
  const threshold = application.round.similarityThreshold;
  const reportFile = application.materials.find((m) => m.material === "M8")?.file ?? null;
  const photoFiles = application.materials.filter((m) => m.material === "M5").map((m) => m.file);

  const reportState: ReportState = !reportFile
    ? "missing"
    : !reportFile.reportText || reportFile.reportText.status === "pending"
      ? "pending"
      : reportFile.reportText.status;

  // Reports: the closest other reports of the current report.
  const reportMatches: ReportMatchView[] = [];
  if (reportFile && reportState === "done") {
    const rows = await prisma.similarityMatch.findMany({
      where: { kind: "report", OR: [{ fileAId: reportFile.id }, { fileBId: reportFile.id }] },
      orderBy: { score: "desc" },
      include: { applicationA: { select: otherSelect }, applicationB: { select: otherSelect } },
    });
    const live = await currentFiles(rows.map((r) => (r.fileAId === reportFile.id ? r.fileBId : r.fileAId)));
    const closest = rows
      .filter((r) => live.has(r.fileAId === reportFile.id ? r.fileBId : r.fileAId))
      .slice(0, CLOSEST_REPORTS);
    const texts = await prisma.reportText.findMany({
      where: { fileId: { in: [reportFile.id, ...closest.flatMap((r) => [r.fileAId, r.fileBId])] } },
      select: { fileId: true, text: true },
    });
    const textOf = new Map(texts.map((t) => [t.fileId, t.text]));
    const mineText = textOf.get(reportFile.id) ?? "";
    for (const row of closest) {
      const mineIsA = row.fileAId === reportFile.id;
      const theirsText = textOf.get(mineIsA ? row.fileBId : row.fileAId) ?? "";
      const passages = storedPassages(row.passages);
      const shown: PassagePair[] = [...passages]
        .sort((x, y) => y.length - x.length)
        .slice(0, PASSAGES_SHOWN)
        .map((p) => ({ mine: mineIsA ? p.a : p.b, theirs: mineIsA ? p.b : p.a, length: p.length }))
        .sort((x, y) => x.mine.start - y.mine.start)
        .map((p) => ({ mine: excerpt(mineText, p.mine), theirs: excerpt(theirsText, p.theirs), length: p.length }));
      reportMatches.push({
        matchId: row.id,
        kind: "report",
        score: row.score,
        coverageMine: (mineIsA ? row.coverageA : row.coverageB) ?? 0,
        coverageTheirs: (mineIsA ? row.coverageB : row.coverageA) ?? 0,
        flagged: row.score >= threshold,
        other: otherApplication(mineIsA ? row.applicationB : row.applicationA, forStaff),
        otherRoundName: (mineIsA ? row.applicationB : row.applicationA).round.name,
        passageCount: passages.length,
        passages: shown,
      });
    }
  }

  // Photos: every current site photo with its EXIF date, and the reused ones.
  const photos = photoFiles.map((file) => photoView(file, application));
  const photoMatches: PhotoMatchView[] = [];
  const photoIds = photoFiles.map((f) => f.id);
  if (photoIds.length > 0) {
    const rows = await prisma.similarityMatch.findMany({
      where: { kind: "photo", OR: [{ fileAId: { in: photoIds } }, { fileBId: { in: photoIds } }] },
      orderBy: { score: "desc" },
      include: { applicationA: { select: otherSelect }, applicationB: { select: otherSelect } },
    });
    const mine = new Set(photoIds);
    const live = await currentFiles(rows.map((r) => (mine.has(r.fileAId) ? r.fileBId : r.fileAId)));
    const relevant = rows.filter((r) => live.has(mine.has(r.fileAId) ? r.fileBId : r.fileAId));
    const files = await prisma.storedFile.findMany({
      where: { id: { in: relevant.flatMap((r) => [r.fileAId, r.fileBId]) } },
      select: photoFileSelect,
    });
    const fileOf = new Map(files.map((f) => [f.id, f]));
    for (const row of relevant) {
      const mineIsA = mine.has(row.fileAId);
      const mineFile = fileOf.get(mineIsA ? row.fileAId : row.fileBId);
      const theirsFile = fileOf.get(mineIsA ? row.fileBId : row.fileAId);
      const other = mineIsA ? row.applicationB : row.applicationA;
      if (!mineFile || !theirsFile) continue;
      photoMatches.push({
        matchId: row.id,
        kind: "photo",
        score: row.score,
        flagged: true,
        other: otherApplication(other, forStaff),
        mine: photoView(mineFile, application),
        theirs: photoView(theirsFile, other),
      });
    }
  }

  return {
    applicationId: application.id,
    number: application.number,
    threshold,
    contractSignedOn: application.contractSignedOn,
    diagnosisCompletedOn: application.diagnosisCompletedOn,
    report: {
      state: reportState,
      fileName: reportFile?.fileName ?? null,
      pages: reportFile?.reportText?.pages ?? 0,
      method: readMethodOf(reportFile?.reportText?.method),
      ocrConfidence: reportFile?.reportText?.ocrConfidence ?? null,
    },
    reportMatches,
    photos,
    photoMatches,
    forStaff,
  };
}

// ---------------------------------------------------------------------------------------------------
// Staff: one pair side by side

export type ComparisonSide = {
  applicationId: string;
  number: string;
  organisationName: string;
  enterpriseName: string;
  roundName: string;
  contractSignedOn: string;
  diagnosisCompletedOn: string;
  fileId: string;
  fileName: string;
};

export type MatchComparison =
  | {
      kind: "report";
      matchId: string;
      score: number;
      coverageA: number;
      coverageB: number;
      threshold: number;
      a: ComparisonSide & { text: string; highlights: TextRange[] };
      b: ComparisonSide & { text: string; highlights: TextRange[] };
      passageCount: number;
    }
  | {
      kind: "photo";
      matchId: string;
      score: number;
      threshold: number;
      a: ComparisonSide & { photo: PhotoView };
      b: ComparisonSide & { photo: PhotoView };
    };

const sideSelect = {
  ...otherSelect,
  round: { select: { name: true, similarityThreshold: true } },
} satisfies Prisma.ApplicationSelect;

/** R-REV-3: the full comparison of one stored pair, for staff. */
export async function getMatchComparison(matchId: string): Promise<MatchComparison | null> {
  const prisma = await db();
  const match = await prisma.similarityMatch.findUnique({
    where: { id: matchId },
    include: { applicationA: { select: sideSelect }, applicationB: { select: sideSelect } },
  });
  if (!match) return null;
  const files = await prisma.storedFile.findMany({
    where: { id: { in: [match.fileAId, match.fileBId] } },
    select: { ...photoFileSelect, reportText: { select: { text: true } } },
  });
  const fileA = files.find((f) => f.id === match.fileAId);
  const fileB = files.find((f) => f.id === match.fileBId);
  if (!fileA || !fileB) return null;
  const side = (
    app: Prisma.ApplicationGetPayload<{ select: typeof sideSelect }>,
    file: { id: string; fileName: string },
  ): ComparisonSide => ({
    applicationId: app.id,
    number: app.number,
    organisationName: app.organisation.name,
    enterpriseName: app.enterprise.name,
    roundName: app.round.name,
    contractSignedOn: app.contractSignedOn,
    diagnosisCompletedOn: app.diagnosisCompletedOn,
    fileId: file.id,
    fileName: file.fileName,
  });
  // The threshold of the later application's round (the one being checked).
  const threshold = match.applicationB.round.similarityThreshold;
  if (match.kind === "photo") {
    return {
      kind: "photo",
      matchId: match.id,
      score: match.score,
      threshold,
      a: { ...side(match.applicationA, fileA), photo: photoView(fileA, match.applicationA) },
      b: { ...side(match.applicationB, fileB), photo: photoView(fileB, match.applicationB) },
    };
  }
  const passages = storedPassages(match.passages);
  const toRanges = (list: Array<[number, number]>) => list.map(([start, end]) => ({ start, end }));
  return {
    kind: "report",
    matchId: match.id,
    score: match.score,
    coverageA: match.coverageA ?? 0,
    coverageB: match.coverageB ?? 0,
    threshold,
    passageCount: passages.length,
    a: {
      ...side(match.applicationA, fileA),
      text: fileA.reportText?.text ?? "",
      highlights: toRanges(mergeRanges(passages.map((p) => [p.a.start, p.a.end]))),
    },
    b: {
      ...side(match.applicationB, fileB),
      text: fileB.reportText?.text ?? "",
      highlights: toRanges(mergeRanges(passages.map((p) => [p.b.start, p.b.end]))),
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Staff: the round-wide report

export type FlaggedPairFilter = {
  roundId: string;
  kind: "all" | "report" | "photo";
  /** Where the other application may be: anywhere in the database (default), this round, or a round of
   *  this round's year. */
  scope?: SimilarityScope;
  /** Application number, provider or enterprise name (either side). */
  q: string;
};

export type FlaggedPairRow = {
  matchId: string;
  kind: "report" | "photo";
  score: number;
  a: { applicationId: string; number: string; organisationName: string; enterpriseName: string; roundName: string };
  b: { applicationId: string; number: string; organisationName: string; enterpriseName: string; roundName: string };
  createdAt: Date;
};

const pairSideSelect = {
  id: true,
  number: true,
  organisation: { select: { name: true } },
  enterprise: { select: { name: true } },
  round: { select: { name: true } },
} satisfies Prisma.ApplicationSelect;

function pairWhere(
  filter: FlaggedPairFilter,
  round: { id: string; year: number; similarityThreshold: number },
): Prisma.SimilarityMatchWhereInput {
  const threshold = round.similarityThreshold;
  const scope = filter.scope ?? "all";
  const inRound: Prisma.SimilarityMatchWhereInput =
    scope === "round"
      ? { applicationA: { roundId: filter.roundId }, applicationB: { roundId: filter.roundId } }
      : scope === "year"
        ? {
            OR: [{ applicationA: { roundId: filter.roundId } }, { applicationB: { roundId: filter.roundId } }],
            applicationA: { round: { year: round.year } },
            applicationB: { round: { year: round.year } },
          }
        : { OR: [{ applicationA: { roundId: filter.roundId } }, { applicationB: { roundId: filter.roundId } }] };
  // Reports: at or above the round's threshold. Photos: every stored pair is the same photo (within
  // PHOTO_MAX_DISTANCE bits of perceptual hash), so every one is flagged.
  const flagged: Prisma.SimilarityMatchWhereInput =
    filter.kind === "report"
      ? { kind: "report", score: { gte: threshold } }
      : filter.kind === "photo"
        ? { kind: "photo" }
        : { OR: [{ kind: "report", score: { gte: threshold } }, { kind: "photo" }] };
  const and: Prisma.SimilarityMatchWhereInput[] = [inRound, flagged];
  if (filter.q) {
    const side = applicationMatching(filter.q);
    and.push({ OR: [{ applicationA: side }, { applicationB: side }] });
  }
  return { AND: and };
}

function toRow(
  match: Prisma.SimilarityMatchGetPayload<{
    include: { applicationA: { select: typeof pairSideSelect }; applicationB: { select: typeof pairSideSelect } };
  }>,
): FlaggedPairRow {
  const side = (app: Prisma.ApplicationGetPayload<{ select: typeof pairSideSelect }>) => ({
    applicationId: app.id,
    number: app.number,
    organisationName: app.organisation.name,
    enterpriseName: app.enterprise.name,
    roundName: app.round.name,
  });
  return {
    matchId: match.id,
    kind: match.kind,
    score: match.score,
    a: side(match.applicationA),
    b: side(match.applicationB),
    createdAt: match.createdAt,
  };
}

/** R-REV-3 item 5: the flagged pairs of a round (either application in it), most alike first. */
export async function listFlaggedPairs(filter: FlaggedPairFilter, page: { skip: number; take: number } | null) {
  const prisma = await db();
  const round = await prisma.round.findUnique({
    where: { id: filter.roundId },
    select: { id: true, year: true, similarityThreshold: true },
  });
  if (!round) return null;
  const where = pairWhere(filter, round);
  const [total, rows, waiting, noText] = await Promise.all([
    prisma.similarityMatch.count({ where }),
    prisma.similarityMatch.findMany({
      where,
      orderBy: [{ score: "desc" }, { createdAt: "asc" }, { id: "asc" }],
      include: { applicationA: { select: pairSideSelect }, applicationB: { select: pairSideSelect } },
      ...(page ?? {}),
    }),
    prisma.application.count({
      where: {
        roundId: filter.roundId,
        status: { not: "draft" },
        materials: {
          some: {
            material: "M8",
            removedAt: null,
            file: { OR: [{ reportText: null }, { reportText: { status: "pending" } }] },
          },
        },
      },
    }),
    prisma.application.findMany({
      where: {
        roundId: filter.roundId,
        reportTexts: {
          some: { status: { in: ["no_text", "failed"] }, file: { materials: { some: { removedAt: null } } } },
        },
      },
      select: {
        id: true,
        number: true,
        organisation: { select: { name: true } },
        enterprise: { select: { name: true } },
      },
      orderBy: { number: "asc" },
    }),
  ]);
  return {
    threshold: round.similarityThreshold,
    total,
    rows: rows.map(toRow),
    waiting,
    unreadable: noText.map((a) => ({
      applicationId: a.id,
      number: a.number,
      organisationName: a.organisation.name,
      enterpriseName: a.enterprise.name,
    })),
  };
}

/** R-REV-3 item 5: staff set the round's report threshold (0..1), on the record (R-LOG-1). */
export async function setSimilarityThreshold(actor: Actor, roundId: string, threshold: number, reason?: string) {
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    const before = await tx.round.findUniqueOrThrow({ where: { id: roundId }, select: { similarityThreshold: true } });
    if (before.similarityThreshold === threshold) return;
    await tx.round.update({ where: { id: roundId }, data: { similarityThreshold: threshold } });
    await recordAudit(tx, {
      actor,
      action: "round.similarity_threshold",
      entityType: "round",
      entityId: roundId,
      before: { similarityThreshold: before.similarityThreshold },
      after: { similarityThreshold: threshold },
      reason,
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// Who may see a photo of a pair
