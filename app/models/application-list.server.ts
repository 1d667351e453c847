/**
 * The staff desk's queries: the round's dashboard figures and the application list with its search,
 * filters, sorting and pages. Everything is counted and paged in the database (groupBy, count,
 * skip/take on indexed columns), so a round of 2,000 applications stays fast (npm run bench:desk).
 */
import { APPLICATION_STATUSES, type ApplicationStatus } from "~/domain/application-status.ts";
import { isSupplementOverdue, pagination, type ApplicationFlag, type ApplicationListQuery, type SortKey } from "~/domain/application-list.ts";
import { MATERIAL_IDS } from "~/domain/materials.ts";
import { formatShanghai, shanghaiDate, startOfShanghaiDay } from "~/domain/shanghai-time.ts";
import { fenToYuanString } from "~/domain/money.ts";
import { currentRound } from "~/models/round.server.ts";
import { writeXlsx, type Column } from "~/services/spreadsheet.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db, type Prisma } from "~/utils/db.server.ts";

/** The round asked for by id, else the current round; null when there is none. */
export async function chooseRound(roundId: string | undefined) {
  const prisma = await db();
  const chosen = roundId ? await prisma.round.findUnique({ where: { id: roundId } }) : null;
  return chosen ?? currentRound();
}

/** Rounds for the round picker, newest first. */
export async function roundChoices() {
  const prisma = await db();
  return prisma.round.findMany({
    where: { status: { not: "archived" } },
    orderBy: [{ year: "desc" }, { createdAt: "desc" }],
    select: { id: true, name: true, isDemo: true },
  });
}

/** Providers that filed in the round, for the provider filter. */
export async function providerChoices(roundId: string) {
  const prisma = await db();
  const groups = await prisma.application.groupBy({ by: ["organisationId"], where: { roundId }, _count: { _all: true } });
  const organisations = await prisma.organisation.findMany({
    where: { id: { in: groups.map((g) => g.organisationId) } },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
  return organisations;
}

/** R-MAT-2 in SQL: a required material has no current file, or M5 lacks a workshop or a team photo. */
function incompleteMaterials(): Prisma.ApplicationWhereInput {
  return {
    OR: [
      ...MATERIAL_IDS.map((material) => ({ materials: { none: { material, removedAt: null } } })),
      { materials: { none: { material: "M5", photoTag: "workshop", removedAt: null } } },
      { materials: { none: { material: "M5", photoTag: "team", removedAt: null } } },
    ],
  };
}

function flagWhere(flag: ApplicationFlag, at: Date): Prisma.ApplicationWhereInput {
  switch (flag) {
    case "late":
      return { completionLate: true };
    case "no_paper":
      return { paperCopiesReceivedOn: null, status: { not: "draft" } };
    case "supplement_overdue":
      return { status: "returned", supplementDueAt: { lt: at } };
    case "incomplete":
      return incompleteMaterials();
  }
}

function listWhere(roundId: string, query: ApplicationListQuery, at: Date): Prisma.ApplicationWhereInput {
  const and: Prisma.ApplicationWhereInput[] = [{ roundId }];
  if (query.status) and.push({ status: query.status });
  if (query.provider) and.push({ organisationId: query.provider });
  for (const flag of query.flag) and.push(flagWhere(flag, at));
  if (query.q) {
    const q = query.q;
    and.push({
      OR: [
        { number: { contains: q, mode: "insensitive" } },
        { enterpriseUscc: { contains: q.toUpperCase() } },
        { enterprise: { name: { contains: q, mode: "insensitive" } } },
        { organisation: { name: { contains: q, mode: "insensitive" } } },
      ],
    });
  }
  return { AND: and };
}

function listOrder(sort: SortKey, dir: "asc" | "desc"): Prisma.ApplicationOrderByWithRelationInput[] {
  const tieBreak: Prisma.ApplicationOrderByWithRelationInput = { number: dir };
  switch (sort) {
    case "number":
      return [{ number: dir }];
    case "submitted":
      return [{ submittedAt: { sort: dir, nulls: "last" } }, tieBreak];
    case "enterprise":
      return [{ enterprise: { name: dir } }, tieBreak];
    case "provider":
      return [{ organisation: { name: dir } }, tieBreak];
    case "status":
      return [{ status: dir }, tieBreak];
  }
}

const ROW_SELECT = {
  id: true,
  number: true,
  status: true,
  enterpriseUscc: true,
  submittedAt: true,
  completionLate: true,
  paperCopiesReceivedOn: true,
  supplementDueAt: true,
  contractAmountFen: true,
  reportTitle: true,
  enterprise: { select: { name: true } },
  organisation: { select: { id: true, name: true } },
} satisfies Prisma.ApplicationSelect;

type Row = Prisma.ApplicationGetPayload<{ select: typeof ROW_SELECT }>;

export type ApplicationListRow = {
  id: string;
  number: string;
  status: ApplicationStatus;
  statusLabel: string;
  enterpriseName: string;
  enterpriseUscc: string;
  providerId: string;
  providerName: string;
  submittedAt: string | null;
  reportTitle: string;
  contractAmountFen: number;
  completionLate: boolean;
  paperCopiesReceivedOn: string | null;
  supplementOverdue: boolean;
};

function toRow(a: Row, at: Date): ApplicationListRow {
  return {
    id: a.id,
    number: a.number,
    status: a.status,
    statusLabel: APPLICATION_STATUSES[a.status],
    enterpriseName: a.enterprise.name,
    enterpriseUscc: a.enterpriseUscc,
    providerId: a.organisation.id,
    providerName: a.organisation.name,
    submittedAt: a.submittedAt ? formatShanghai(a.submittedAt) : null,
    reportTitle: a.reportTitle,
    contractAmountFen: a.contractAmountFen,
    completionLate: a.completionLate,
    paperCopiesReceivedOn: a.paperCopiesReceivedOn,
    supplementOverdue: isSupplementOverdue(a, at),
  };
}

/** One page of the round's applications matching the query, and how many match in all. */
export async function listApplications(roundId: string, query: ApplicationListQuery) {
  const prisma = await db();
  const at = now();
  const where = listWhere(roundId, query, at);
  const total = await prisma.application.count({ where });
  const pages = pagination(total, query.page);
  const rows = await prisma.application.findMany({
    where,
    orderBy: listOrder(query.sort, query.dir),
    skip: pages.skip,
    take: pages.take,
    select: ROW_SELECT,
  });
  return { total, page: pages.page, pageCount: pages.pageCount, rows: rows.map((a) => toRow(a, at)) };
}

/** Every application matching the query (no pages), in the list's order: for the .xlsx export. */
export async function exportApplications(roundId: string, query: ApplicationListQuery): Promise<ApplicationListRow[]> {
  const prisma = await db();
  const at = now();
  const rows = await prisma.application.findMany({
    where: listWhere(roundId, query, at),
    orderBy: listOrder(query.sort, query.dir),
    select: ROW_SELECT,
  });
  return rows.map((a) => toRow(a, at));
}

const EXPORT_COLUMNS: Column<ApplicationListRow>[] = [
  { header: "申报编号", width: 14, value: (a) => a.number },
  { header: "被诊断企业", width: 36, value: (a) => a.enterpriseName },
  { header: "统一社会信用代码", width: 22, value: (a) => a.enterpriseUscc },
  { header: "服务商", width: 36, value: (a) => a.providerName },
  { header: "诊断报告名称", width: 36, value: (a) => a.reportTitle },
  { header: "合同金额（元）", width: 14, value: (a) => fenToYuanString(a.contractAmountFen) },
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

/** The round's dashboard: counts by status, submitted today (Beijing day), applications per provider. */
export async function roundDashboard(roundId: string) {
  const prisma = await db();
  const at = now();
  const today = shanghaiDate(at);
  const [byStatus, submittedToday, byProvider] = await Promise.all([
    prisma.application.groupBy({ by: ["status"], where: { roundId }, _count: { _all: true } }),
    prisma.application.count({ where: { roundId, submittedAt: { gte: startOfShanghaiDay(today), lte: at } } }),
    prisma.application.groupBy({ by: ["organisationId", "status"], where: { roundId }, _count: { _all: true } }),
  ]);
  const organisations = await prisma.organisation.findMany({
    where: { id: { in: [...new Set(byProvider.map((g) => g.organisationId))] } },
    select: { id: true, name: true },
  });
  const statusCounts = (Object.keys(APPLICATION_STATUSES) as ApplicationStatus[]).map((status) => ({
    status,
    label: APPLICATION_STATUSES[status],
    count: byStatus.find((row) => row.status === status)?._count._all ?? 0,
  }));
  const providers = organisations
    .map((o) => {
      const mine = byProvider.filter((g) => g.organisationId === o.id);
      const total = mine.reduce((n, g) => n + g._count._all, 0);
      const drafts = mine.filter((g) => g.status === "draft").reduce((n, g) => n + g._count._all, 0);
      return { id: o.id, name: o.name, total, submitted: total - drafts, drafts };
    })
    .sort((a, b) => b.total - a.total || a.name.localeCompare(b.name, "zh-CN"));
  const total = statusCounts.reduce((n, s) => n + s.count, 0);
  const drafts = statusCounts.find((s) => s.status === "draft")?.count ?? 0;
  return { today, total, submitted: total - drafts, drafts, submittedToday, statusCounts, providers };
}
