/**
 * The staff desk's queries: the round's dashboard figures and the application list with its search,
 * filters, sorting and pages. Everything is counted and paged in the database, each page in as few
 * queries as possible, so a round of 2,000 applications stays fast (npm run bench:desk).
 */
import {
  type ApplicationFlag,
  type ApplicationListQuery,
  isSupplementOverdue,
  pagination,
  type SortKey,
} from "~/domain/application-list.ts";
import { APPLICATION_STATUSES, type ApplicationStatus } from "~/domain/application-status.ts";
import { PENDING_STATUSES } from "~/domain/eligibility.ts";
import { MATERIAL_IDS } from "~/domain/materials.ts";
import { formatShanghai, shanghaiDate, startOfShanghaiDay } from "~/domain/shanghai-time.ts";
import { currentRound, liveRounds } from "~/models/round.server.ts";
import { type Column, writeXlsx } from "~/services/spreadsheet.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db, directRows, Prisma } from "~/utils/db.server.ts";

export type DeskRound = {
  id: string;
  name: string;
  isDemo: boolean;
  deadline: Date;
  disbursementDeadline: Date | null;
};

/**
 * The round asked for by id, else the current round; null when there is none. A round not archived comes
 * from the page's one read of the live rounds (round.server.ts); an archived one from its own query. The
 * desk's pages are read far more than anything else, so their queries are plain SQL read straight from
 * the driver (db.server.ts `directRows`: Prisma's query building costs the server more than the query).
 */
export async function chooseRound(roundId: string | undefined): Promise<DeskRound | null> {
  const live = roundId ? (await liveRounds()).find((round) => round.id === roundId) : undefined;
  if (live) return deskRound(live);
  if (roundId) {
    const [row] = await directRows<{
      id: string;
      name: string;
      isDemo: boolean;
      deadline: Date;
      disbursementDeadline: Date | null;
    }>(Prisma.sql`
      SELECT "id", "name", "isDemo", "deadline", "disbursementDeadline" FROM "Round" WHERE "id" = ${roundId}`);
    if (row) {
      const disbursement = row.disbursementDeadline;
      return {
        ...row,
        deadline: new Date(row.deadline),
        disbursementDeadline: disbursement === null ? null : new Date(disbursement),
      };
    }
  }
  const current = await currentRound();
  return current && deskRound(current);
}

function deskRound(round: DeskRound): DeskRound {
  return {
    id: round.id,
    name: round.name,
    isDemo: round.isDemo,
    deadline: round.deadline,
    disbursementDeadline: round.disbursementDeadline,
  };
}

/** The desk's figures outside the round: providers by verification status, and experts. */
export async function deskCounts() {
  const [row] = await directRows<{ pending: number; verified: number; refused: number; experts: number }>(Prisma.sql`
    SELECT
      (SELECT count(*) FROM "Organisation" WHERE "status" = 'pending')::int AS "pending",
      (SELECT count(*) FROM "Organisation" WHERE "status" = 'verified')::int AS "verified",
      (SELECT count(*) FROM "Organisation" WHERE "status" = 'refused')::int AS "refused",
      (SELECT count(*) FROM "User" WHERE 'expert' = ANY("roles"))::int AS "experts"`);
  return row ?? { pending: 0, verified: 0, refused: 0, experts: 0 };
}

/**
 * R-ELIG-4: the latest refused attempts to file for an enterprise another provider already filed for,
 * with who filed it (staff see both).
 */
export async function claimAttempts(roundId: string) {
  const rows = await directRows<{
    id: string;
    at: Date;
    enterprise: string;
    attemptedBy: string;
    filedBy: string | null;
  }>(Prisma.sql`
    SELECT c."id", c."at", e."name" AS "enterprise", o."name" AS "attemptedBy",
      (SELECT string_agg(fo."name" || '（' || fa."number" || '）', '、' ORDER BY fa."number")
         FROM "Application" fa JOIN "Organisation" fo ON fo."id" = fa."organisationId"
        WHERE fa."enterpriseId" = c."enterpriseId") AS "filedBy"
    FROM "EnterpriseClaimAttempt" c
    JOIN "RoundEnterprise" e ON e."id" = c."enterpriseId"
    JOIN "Organisation" o ON o."id" = c."organisationId"
    WHERE c."roundId" = ${roundId}
    ORDER BY c."at" DESC
    LIMIT 50`);
  return rows.map((row) => ({ ...row, at: formatShanghai(new Date(row.at), true), filedBy: row.filedBy ?? "" }));
}

/** Providers that filed in the round, for the provider filter (one query). */
export async function providerChoices(roundId: string) {
  return directRows<{ id: string; name: string }>(Prisma.sql`
    SELECT o."id", o."name" FROM "Organisation" o
    WHERE EXISTS (SELECT 1 FROM "Application" a WHERE a."organisationId" = o."id" AND a."roundId" = ${roundId})
    ORDER BY o."name"`);
}

/**
 * R-MAT-2 in SQL: complete means every material has a current file and M5 has a workshop and a team
 * photo (app/domain/materials.ts `isComplete`); incomplete is its negation.
 */
function incompleteMaterials(): Prisma.Sql {
  return Prisma.sql`NOT EXISTS (
    SELECT 1 FROM "ApplicationMaterial" m
    WHERE m."applicationId" = a."id" AND m."removedAt" IS NULL
    GROUP BY m."applicationId"
    HAVING count(DISTINCT m."material") FILTER (WHERE m."material" IN (${Prisma.join([...MATERIAL_IDS])})) = ${MATERIAL_IDS.length}
      AND bool_or(m."material" = 'M5' AND m."photoTag" = 'workshop')
      AND bool_or(m."material" = 'M5' AND m."photoTag" = 'team'))`;
}

function flagCondition(flag: ApplicationFlag, at: Date): Prisma.Sql {
  switch (flag) {
    case "late":
      return Prisma.sql`a."completionLate"`;
    case "no_paper":
      // R-MAT-3: drafts are not expected to have paper copies yet.
      return Prisma.sql`a."paperCopiesReceivedOn" IS NULL AND a."status" <> 'draft'`;
    case "supplement_overdue":
      return Prisma.sql`a."status" = 'returned' AND a."supplementDueAt" < ${at}`;
    case "incomplete":
      return incompleteMaterials();
    case "provider_suspended":
      return Prisma.sql`a."status"::text IN (${Prisma.join(PENDING_STATUSES)})
        AND EXISTS (SELECT 1 FROM "Organisation" so WHERE so."id" = a."organisationId" AND so."suspendedAt" IS NOT NULL)`;
  }
}

/** A LIKE pattern that finds `text` anywhere, with LIKE's wildcards in it taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function listConditions(roundId: string, query: ApplicationListQuery, at: Date): Prisma.Sql {
  const conditions: Prisma.Sql[] = [Prisma.sql`a."roundId" = ${roundId}`];
  if (query.status) conditions.push(Prisma.sql`a."status" = ${query.status}::"ApplicationStatus"`);
  if (query.provider) conditions.push(Prisma.sql`a."organisationId" = ${query.provider}`);
  for (const flag of query.flag) conditions.push(flagCondition(flag, at));
  if (query.q) {
    const pattern = containsPattern(query.q);
    conditions.push(Prisma.sql`(a."number" ILIKE ${pattern} OR a."enterpriseUscc" LIKE ${containsPattern(query.q.toUpperCase())}
      OR e."name" ILIKE ${pattern} OR o."name" ILIKE ${pattern})`);
  }
  return Prisma.join(conditions, " AND ");
}

/**
 * The ORDER BY of a sort key; the application number breaks ties so that pages never overlap. `t` is
 * the alias of the application's columns (the names are read from the joined tables `e` and `o`).
 */
function listOrder(sort: SortKey, dir: "asc" | "desc", t: "a" | "p" = "a"): Prisma.Sql {
  const d = Prisma.raw(dir === "desc" ? "DESC" : "ASC");
  const column = (name: string) => Prisma.raw(`${t}."${name}"`);
  switch (sort) {
    case "number":
      return Prisma.sql`${column("number")} ${d}`;
    case "submitted":
      return Prisma.sql`${column("submittedAt")} ${d} NULLS LAST, ${column("number")} ${d}`;
    case "enterprise":
      return Prisma.sql`e."name" ${d}, ${column("number")} ${d}`;
    case "provider":
      return Prisma.sql`o."name" ${d}, ${column("number")} ${d}`;
    case "status":
      return Prisma.sql`${column("status")} ${d}, ${column("number")} ${d}`;
  }
}

type Row = {
  id: string;
  number: string;
  status: ApplicationStatus;
  enterpriseUscc: string;
  submittedAt: Date | null;
  completionLate: boolean;
  paperCopiesReceivedOn: string | null;
  supplementDueAt: Date | null;
  contractAmountFen: number;
  reportTitle: string;
  enterpriseName: string;
  providerName: string;
  providerSuspended: boolean;
};

/** One query: the matching applications with their enterprise and provider names, in the list's order. */
async function selectRows(
  roundId: string,
  query: ApplicationListQuery,
  at: Date,
  page?: { skip: number; take: number },
) {
  const limit = page ? Prisma.sql`LIMIT ${page.take} OFFSET ${page.skip}` : Prisma.empty;
  const needsNames = Boolean(query.q) || query.sort === "enterprise" || query.sort === "provider";
  if (needsNames) {
    return directRows<Row & { total: number }>(Prisma.sql`
      SELECT a."id", a."number", a."status"::text AS "status", a."enterpriseUscc", a."submittedAt", a."completionLate",
        a."paperCopiesReceivedOn", a."supplementDueAt", a."contractAmountFen", a."reportTitle",
        e."name" AS "enterpriseName", o."name" AS "providerName",
        (o."suspendedAt" IS NOT NULL) AS "providerSuspended",
        (count(*) OVER ())::int AS "total"
      FROM "Application" a
      JOIN "RoundEnterprise" e ON e."id" = a."enterpriseId"
      JOIN "Organisation" o ON o."id" = a."organisationId"
      WHERE ${listConditions(roundId, query, at)}
      ORDER BY ${listOrder(query.sort, query.dir)}
      ${limit}`);
  }
  // Neither searched nor sorted by a name: count, sort and page the applications alone, then read
  // the names of the page's rows only.
  return directRows<Row & { total: number }>(Prisma.sql`
    SELECT p."id", p."number", p."status"::text AS "status", p."enterpriseUscc", p."submittedAt", p."completionLate",
      p."paperCopiesReceivedOn", p."supplementDueAt", p."contractAmountFen", p."reportTitle",
      e."name" AS "enterpriseName", o."name" AS "providerName",
      (o."suspendedAt" IS NOT NULL) AS "providerSuspended", p."total"
    FROM (
      SELECT a."id", a."number", a."status", a."enterpriseUscc", a."submittedAt", a."completionLate",
        a."paperCopiesReceivedOn", a."supplementDueAt", a."contractAmountFen", a."reportTitle",
        a."enterpriseId", a."organisationId", (count(*) OVER ())::int AS "total"
      FROM "Application" a
      WHERE ${listConditions(roundId, query, at)}
      ORDER BY ${listOrder(query.sort, query.dir)}
      ${limit}
    ) p
    JOIN "RoundEnterprise" e ON e."id" = p."enterpriseId"
    JOIN "Organisation" o ON o."id" = p."organisationId"
    ORDER BY ${listOrder(query.sort, query.dir, "p")}`);
}

/** A row of the staff list: what its table shows, nothing more (the page sends it to the browser too). */
export type ApplicationListRow = {
  id: string;
  number: string;
  status: ApplicationStatus;
  statusLabel: string;
  enterpriseName: string;
  enterpriseUscc: string;
  providerName: string;
  submittedAt: string | null;
  completionLate: boolean;
  paperCopiesReceivedOn: string | null;
  supplementOverdue: boolean;
  /** R-ELIG-2: the provider is suspended and this application is still pending. */
  providerSuspended: boolean;
};

/** A row of the .xlsx export: the list's row and the columns only the spreadsheet has. */
export type ApplicationExportRow = ApplicationListRow & { reportTitle: string; contractAmountFen: number };

function toRow(a: Row, at: Date): ApplicationListRow {
  const submittedAt = a.submittedAt === null ? null : new Date(a.submittedAt);
  const supplementDueAt = a.supplementDueAt === null ? null : new Date(a.supplementDueAt);
  return {
    id: a.id,
    number: a.number,
    status: a.status,
    statusLabel: APPLICATION_STATUSES[a.status],
    enterpriseName: a.enterpriseName,
    enterpriseUscc: a.enterpriseUscc,
    providerName: a.providerName,
    submittedAt: submittedAt ? formatShanghai(submittedAt) : null,
    completionLate: a.completionLate,
    paperCopiesReceivedOn: a.paperCopiesReceivedOn,
    supplementOverdue: isSupplementOverdue({ status: a.status, supplementDueAt }, at),
    providerSuspended: a.providerSuspended && PENDING_STATUSES.includes(a.status),
  };
}

/**
 * One page of the round's applications matching the query, and how many match in all: counted and
 * paged in one SQL query (a second only when the page asked for is past the end).
 */
export async function listApplications(roundId: string, query: ApplicationListQuery) {
  const at = now();
  let pages = pagination(Number.MAX_SAFE_INTEGER, query.page, query.size);
  let rows = await selectRows(roundId, query, at, pages);
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && query.page > 1) {
    // Past the last page (or nothing matches): count, then show the last page.
    const counted = await selectRows(roundId, query, at, { skip: 0, take: 1 });
    total = counted[0]?.total ?? 0;
    pages = pagination(total, query.page, query.size);
    rows = total === 0 ? [] : await selectRows(roundId, query, at, pages);
  }
  const { page, pageCount } = pagination(total, pages.page, query.size);
  return { total, page, pageCount, rows: rows.map((a) => toRow(a, at)) };
}

/** Every application matching the query (no pages), in the list's order: for the .xlsx export. */
export async function exportApplications(
  roundId: string,
  query: ApplicationListQuery,
): Promise<ApplicationExportRow[]> {
  const at = now();
  const rows = await selectRows(roundId, query, at);
  return rows.map((a) => ({
    ...toRow(a, at),
    reportTitle: a.reportTitle,
    contractAmountFen: Number(a.contractAmountFen),
  }));
}

const EXPORT_COLUMNS: Column<ApplicationExportRow>[] = [
  { header: "申报编号", width: 14, value: (a) => a.number },
  { header: "被诊断企业", width: 36, value: (a) => a.enterpriseName },
  { header: "统一社会信用代码", width: 22, value: (a) => a.enterpriseUscc },
  { header: "服务商", width: 36, value: (a) => a.providerName },
  { header: "诊断报告名称", width: 36, value: (a) => a.reportTitle },
  { header: "合同金额（元）", width: 14, fen: (a) => a.contractAmountFen },
  { header: "提交时间（北京时间）", width: 20, value: (a) => a.submittedAt },
  { header: "状态", width: 12, value: (a) => a.statusLabel },
  { header: "诊断完成超期", width: 12, value: (a) => (a.completionLate ? "是" : "否") },
  { header: "纸质材料收到日期", width: 16, value: (a) => a.paperCopiesReceivedOn ?? "未收到" },
  { header: "补正逾期", width: 10, value: (a) => (a.supplementOverdue ? "是" : "否") },
];

/** The list with the same filters and order as on screen, as an .xlsx workbook, and its file name. */
export async function applicationListWorkbook(roundId: string, query: ApplicationListQuery) {
  const prisma = await db();
  const round = await prisma.round.findUniqueOrThrow({ where: { id: roundId }, select: { name: true } });
  const rows = await exportApplications(roundId, query);
  const bytes = await writeXlsx("申报列表", EXPORT_COLUMNS, rows);
  return { bytes, fileName: `${round.name}-申报列表-${shanghaiDate(now())}.xlsx`, count: rows.length };
}

/**
 * The round's dashboard: counts by status, submitted today (Beijing day), applications per provider.
 * One grouped query (per provider and status) gives all three.
 */
export async function roundDashboard(roundId: string) {
  const at = now();
  const today = shanghaiDate(at);
  const groups = await directRows<{
    providerId: string;
    providerName: string;
    status: ApplicationStatus;
    count: number;
    submittedToday: number;
  }>(Prisma.sql`
    SELECT o."id" AS "providerId", o."name" AS "providerName", a."status"::text AS "status", count(*)::int AS "count",
      (count(*) FILTER (WHERE a."submittedAt" >= ${startOfShanghaiDay(today)} AND a."submittedAt" <= ${at}))::int AS "submittedToday"
    FROM "Application" a JOIN "Organisation" o ON o."id" = a."organisationId"
    WHERE a."roundId" = ${roundId}
    GROUP BY o."id", o."name", a."status"`);
  const statusCounts = (Object.keys(APPLICATION_STATUSES) as ApplicationStatus[]).map((status) => ({
    status,
    label: APPLICATION_STATUSES[status],
    count: groups.filter((g) => g.status === status).reduce((n, g) => n + g.count, 0),
  }));
  const byProvider = new Map<string, { id: string; name: string; total: number; submitted: number; drafts: number }>();
  for (const g of groups) {
    const provider = byProvider.get(g.providerId) ?? {
      id: g.providerId,
      name: g.providerName,
      total: 0,
      submitted: 0,
      drafts: 0,
    };
    provider.total += g.count;
    if (g.status === "draft") provider.drafts += g.count;
    else provider.submitted += g.count;
    byProvider.set(g.providerId, provider);
  }
  const providers = [...byProvider.values()].sort((a, b) => b.total - a.total || a.name.localeCompare(b.name, "zh-CN"));
  const submittedToday = groups.reduce((n, g) => n + g.submittedToday, 0);
  const total = statusCounts.reduce((n, s) => n + s.count, 0);
  const drafts = statusCounts.find((s) => s.status === "draft")?.count ?? 0;
  return { today, total, submitted: total - drafts, drafts, submittedToday, statusCounts, providers };
}
