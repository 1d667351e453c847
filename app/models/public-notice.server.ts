/**
 * The public notice (公示) of a round's passed applications, R-PAY-3's 审核通过后公示: which notices are
 * open, what one shows (enterprises, providers, amounts in figures and capitals, the authority and date
 * line), and its period, which staff set. Its own model: payout batches read its state, nothing more.
 */
import { capitalYuan, formatFen, payoutFen } from "~/domain/money.ts";
import { checkNoticeWindow, noticeState } from "~/domain/payout.ts";
import { formatShanghai, shanghaiDate } from "~/domain/shanghai-time.ts";
import { recordAudit } from "~/models/audit.server.ts";
import { actorOf, type Officer } from "~/models/officer.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";

/** The rounds whose public notice (公示) is open now, for the home page: name, code and closing time. */
export async function openNotices() {
  const prisma = await db();
  const at = now();
  const rounds = await prisma.round.findMany({
    where: { noticeOpensAt: { lte: at }, noticeClosesAt: { gt: at } },
    select: { code: true, name: true, noticeClosesAt: true },
    orderBy: { noticeOpensAt: "desc" },
  });
  return rounds.map((r) => ({
    code: r.code,
    name: r.name,
    closes: r.noticeClosesAt ? formatShanghai(r.noticeClosesAt) : "",
  }));
}

/** The bureau that issues the notice (the date line's authority). */
export const NOTICE_AUTHORITY = "张店区工业和信息化局";

/** A Beijing calendar date as the date line of an official notice: 2022-12-21 → 2022年12月21日. */
function chineseDate(day: string): string {
  const [y, m, d] = day.split("-");
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/**
 * 公示: the passed enterprises of a round with their providers and amounts, only while the notice is
 * open. Nothing else about an application leaves this function.
 */
export async function publicNotice(roundCode: string, options: { evenIfNotOpen?: boolean } = {}) {
  const prisma = await db();
  const round = await prisma.round.findUnique({
    where: { code: roundCode },
    select: {
      id: true,
      name: true,
      perEnterpriseCapFen: true,
      noticeOpensAt: true,
      noticeClosesAt: true,
      noticeObjectionText: true,
    },
  });
  if (!round) return { state: "missing" as const };
  const state = noticeState({ opensAt: round.noticeOpensAt, closesAt: round.noticeClosesAt }, now());
  const period =
    round.noticeOpensAt && round.noticeClosesAt
      ? { opens: formatShanghai(round.noticeOpensAt), closes: formatShanghai(round.noticeClosesAt) }
      : null;
  if (state !== "open" && !(options.evenIfNotOpen && period)) return { state, roundName: round.name, period };
  const applications = await prisma.application.findMany({
    where: { roundId: round.id, resultPassed: true, resultConfirmedAt: { not: null } },
    select: {
      contractAmountFen: true,
      enterprise: { select: { name: true, seq: true } },
      organisation: { select: { name: true } },
    },
    orderBy: { enterprise: { seq: "asc" } },
  });
  const entries = applications.map((a, i) => {
    const amountFen = payoutFen(a.contractAmountFen, round.perEnterpriseCapFen);
    return {
      seq: i + 1,
      enterpriseName: a.enterprise.name,
      providerName: a.organisation.name,
      amountText: formatFen(amountFen),
      amountCapital: capitalYuan(amountFen),
    };
  });
  const totalFen = applications.reduce((sum, a) => sum + payoutFen(a.contractAmountFen, round.perEnterpriseCapFen), 0);
  return {
    state,
    roundName: round.name,
    period,
    objectionText: round.noticeObjectionText ?? "",
    code: roundCode,
    authority: NOTICE_AUTHORITY,
    issuedOn: round.noticeOpensAt ? chineseDate(shanghaiDate(round.noticeOpensAt)) : "",
    entries,
    total: { text: formatFen(totalFen), capital: capitalYuan(totalFen) },
  };
}

export type NoticeSettings = { opensAt: Date | null; closesAt: Date | null; objectionText: string | null };

/** A refusal names the round's column it is about (the staff form's field of that name), if any. */
export type NoticeOutcome =
  { ok: true } | { ok: false; field?: "noticeClosesAt" | "noticeObjectionText"; message: string };

/** Staff choose when the public notice opens and closes and how to object (on the record). */
export async function saveNoticeSettings(
  officer: Officer,
  roundId: string,
  input: NoticeSettings,
): Promise<NoticeOutcome> {
  if (!officer.roles.includes("staff")) return { ok: false, message: "只有工信局经办人员可以设置公示" };
  const window = checkNoticeWindow({ opensAt: input.opensAt, closesAt: input.closesAt });
  if (!window.ok) return { ok: false, field: "noticeClosesAt", message: window.message };
  if (input.opensAt && !input.objectionText)
    return { ok: false, field: "noticeObjectionText", message: "请填写异议方式（受理部门、电话、地址等）" };
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const before = await tx.round.findUnique({
      where: { id: roundId },
      select: { noticeOpensAt: true, noticeClosesAt: true, noticeObjectionText: true },
    });
    if (!before) return { ok: false as const, message: "批次不存在" };
    await tx.round.update({
      where: { id: roundId },
      data: { noticeOpensAt: input.opensAt, noticeClosesAt: input.closesAt, noticeObjectionText: input.objectionText },
    });
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    await recordAudit(tx, {
      actor: actorOf(officer),
      action: "round.notice",
      entityType: "round",
      entityId: roundId,
      before: {
        opensAt: iso(before.noticeOpensAt),
        closesAt: iso(before.noticeClosesAt),
        objectionText: before.noticeObjectionText,
      },
      after: { opensAt: iso(input.opensAt), closesAt: iso(input.closesAt), objectionText: input.objectionText },
    });
    return { ok: true as const };
  });
}
