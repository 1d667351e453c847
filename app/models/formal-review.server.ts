/**
 * The bureau's desk for one application: what staff see (every material with its earlier versions,
 * the verdicts of each review cycle, each supplement notice, the history) and the formal-review
 * decision (受理 / 退回补正 / 不予受理) with its verdicts, audit entry and mail in ONE transaction.
 *
 * Optimistic concurrency: a decision updates `where: { id, version, status }`; when two officers
 * decide at the same moment, the second updates 0 rows, writes nothing, sends no mail and gets a
 * message (R-LOG-1: the one decision taken is on the record).
 */
import {
  APPLICATION_STATUSES,
  type ApplicationEvent,
  type ApplicationStatus,
  transition,
} from "~/domain/application-status.ts";
import { auditActionLabel } from "~/domain/audit-actions.ts";
import { auditIds, auditText } from "~/domain/audit-view.ts";
import { PENDING_STATUSES } from "~/domain/eligibility.ts";
import {
  checkAccept,
  checkRefuse,
  checkReturn,
  type DecisionError,
  materialsToJudge,
  type NoticeItem,
  noticeItemsFrom,
  noticeMaterials,
  noticeText,
  supplementDueInstant,
  type Verdict,
} from "~/domain/formal-review.ts";
import { MATERIAL_IDS, type MaterialId, MATERIALS } from "~/domain/materials.ts";
import { paperCopiesAcceptError, paperCopiesLate } from "~/domain/paper-copies.ts";
import { formatShanghai, parseCalendarDate, shanghaiDate } from "~/domain/shanghai-time.ts";
import { applicationAcceptedMail, applicationRefusedMail, supplementRequestedMail } from "~/emails/formal-review.ts";
import { type Actor, auditNames, recordAudit } from "~/models/audit.server.ts";
import { enqueueMail } from "~/services/mail.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";
import { env } from "~/utils/env.server.ts";

type StaffActor = NonNullable<Actor>;

/** The audit action of each decision (R-LOG-1). */
const DECISION_ACTIONS = {
  accept: "application.accept",
  return: "application.return_for_supplement",
  refuse: "application.refuse",
} as const;

const fileSelect = { id: true, fileName: true, contentType: true, size: true, sha256: true, createdAt: true } as const;

async function loadForStaff(id: string) {
  const prisma = await db();
  return prisma.application.findUnique({
    where: { id },
    include: {
      enterprise: { select: { name: true } },
      round: { select: { id: true, name: true, deadline: true, paperCopiesRequired: true } },
      organisation: {
        select: {
          id: true,
          name: true,
          uscc: true,
          contactName: true,
          contactPhone: true,
          contactEmail: true,
          suspendedAt: true,
          suspendedReason: true,
        },
      },
      materials: { orderBy: { createdAt: "asc" }, include: { file: { select: fileSelect } } },
      materialReviews: { orderBy: [{ cycle: "asc" }, { material: "asc" }] },
      supplementNotices: { orderBy: { cycle: "asc" } },
    },
  });
}

type Loaded = NonNullable<Awaited<ReturnType<typeof loadForStaff>>>;
type MaterialRow = Loaded["materials"][number];

/** Materials accepted in a cycle before the current one (一次性告知: they stay accepted). */
export function acceptedEarlier(application: Pick<Loaded, "reviewCycle" | "materialReviews">): MaterialId[] {
  return MATERIAL_IDS.filter((m) =>
    application.materialReviews.some(
      (r) => r.material === m && r.cycle < application.reviewCycle && r.verdict === "accepted",
    ),
  );
}

function presentMaterials(rows: readonly MaterialRow[]): MaterialId[] {
  return MATERIAL_IDS.filter((m) => rows.some((r) => r.material === m && r.removedAt === null));
}

const fileView = (row: MaterialRow) => ({
  rowId: row.id,
  fileId: row.file.id,
  fileName: row.file.fileName,
  contentType: row.file.contentType,
  size: row.file.size,
  sha256: row.file.sha256,
  photoTag: row.photoTag,
  uploadedAt: formatShanghai(row.createdAt),
  removedAt: row.removedAt ? formatShanghai(row.removedAt) : null,
});
export type DeskFile = ReturnType<typeof fileView>;

/** The files of a material as they stood at an instant (what staff saw when they returned it). */
function filesAt(rows: readonly MaterialRow[], material: MaterialId, at: Date): MaterialRow[] {
  return rows.filter((r) => r.material === material && r.createdAt <= at && (r.removedAt === null || r.removedAt > at));
}

/** Everything the staff page shows, as plain data. */
export async function staffApplicationView(id: string) {
  const application = await loadForStaff(id);
  if (!application) return null;
  const prisma = await db();
  const audit = await prisma.auditEntry.findMany({
    where: { entityType: "application", entityId: id },
    orderBy: { id: "asc" },
  });
  const names = await auditNames(
    prisma,
    audit.flatMap((entry) => auditIds(entry)),
  );
  const earlier = acceptedEarlier(application);
  const current = application.materials.filter((m) => m.removedAt === null);
  const notices = application.supplementNotices.map((n) => {
    const items = noticeItemsFrom(n.items);
    return {
      id: n.id,
      cycle: n.cycle,
      items: items.map((item) => ({
        ...item,
        name: item.material === "general" ? "其他说明" : MATERIALS[item.material].name,
      })),
      note: n.note,
      dueAt: formatShanghai(n.dueAt),
      issuedAt: formatShanghai(n.issuedAt),
      resubmittedAt: n.resubmittedAt ? formatShanghai(n.resubmittedAt) : null,
      // Which files were replaced since the return: old (as returned) and new (as resubmitted), side by side.
      changes: noticeMaterials(items).map((material) => {
        const before = filesAt(application.materials, material, n.issuedAt);
        const after = n.resubmittedAt
          ? filesAt(application.materials, material, n.resubmittedAt)
          : current.filter((r) => r.material === material);
        return {
          material,
          name: MATERIALS[material].name,
          reason: items.find((i) => i.material === material)?.reason ?? "",
          before: before.map(fileView),
          after: after.filter((r) => !before.some((b) => b.id === r.id)).map(fileView),
          kept: after.filter((r) => before.some((b) => b.id === r.id)).map(fileView),
        };
      }),
    };
  });
  const status = application.status;
  return {
    application: {
      id: application.id,
      number: application.number,
      version: application.version,
      status,
      statusLabel: APPLICATION_STATUSES[status],
      reviewCycle: application.reviewCycle,
      roundId: application.round.id,
      roundName: application.round.name,
      enterpriseName: application.enterprise.name,
      enterpriseUscc: application.enterpriseUscc,
      reportTitle: application.reportTitle,
      contractAmountFen: application.contractAmountFen,
      contractSignedOn: application.contractSignedOn,
      diagnosisCompletedOn: application.diagnosisCompletedOn,
      diagnosisDueOn: application.diagnosisDueOn,
      completionLate: application.completionLate,
      submittedAt: application.submittedAt ? formatShanghai(application.submittedAt) : null,
      acceptedAt: application.acceptedAt ? formatShanghai(application.acceptedAt) : null,
      refusalReason: application.refusalReason,
      supplementDueAt: application.supplementDueAt ? formatShanghai(application.supplementDueAt) : null,
      paperCopiesReceivedOn: application.paperCopiesReceivedOn,
      paperCopiesReceivedBy: application.paperCopiesReceivedBy,
      // R-MAT-3: the round requires the paper copies before 受理; a receipt after the deadline is flagged.
      paperCopiesRequired: application.round.paperCopiesRequired,
      paperCopiesLate: paperCopiesLate(application.paperCopiesReceivedOn, shanghaiDate(application.round.deadline)),
      receiptFileId: application.receiptFileId,
    },
    provider: {
      id: application.organisation.id,
      name: application.organisation.name,
      uscc: application.organisation.uscc,
      contactName: application.organisation.contactName,
      contactPhone: application.organisation.contactPhone,
      contactEmail: application.organisation.contactEmail,
    },
    // R-ELIG-2: the provider is suspended while this application is pending.
    providerSuspension:
      application.organisation.suspendedAt && PENDING_STATUSES.includes(status)
        ? {
            at: formatShanghai(application.organisation.suspendedAt),
            reason: application.organisation.suspendedReason ?? "",
          }
        : null,
    materials: MATERIAL_IDS.map((material) => {
      const verdicts = application.materialReviews.filter((r) => r.material === material);
      return {
        id: material,
        name: MATERIALS[material].name,
        multiple: MATERIALS[material].multiple,
        files: current.filter((r) => r.material === material).map(fileView),
        earlierFiles: application.materials
          .filter((r) => r.material === material && r.removedAt !== null)
          .map(fileView),
        acceptedEarlier: earlier.includes(material),
        verdicts: verdicts.map((v) => ({
          cycle: v.cycle,
          verdict: v.verdict,
          reason: v.reason,
          reviewedAt: formatShanghai(v.reviewedAt),
        })),
      };
    }),
    toJudge: materialsToJudge(presentMaterials(application.materials), earlier),
    notices,
    history: audit.map((entry) => ({
      id: entry.id.toString(),
      at: formatShanghai(entry.at, true),
      actorName: entry.actorName ?? "系统",
      action: auditActionLabel(entry.action),
      reason: entry.reason,
      // R-LOG-1 as people read it: Chinese field names, Beijing time, application numbers and names.
      before: entry.before === null ? null : auditText(entry.before, names, entry.entityType),
      after: entry.after === null ? null : auditText(entry.after, names, entry.entityType),
    })),
    today: shanghaiDate(now()),
  };
}

export type DecisionInput =
  | { decision: "accept"; version: number; verdicts: Verdict[] }
  | { decision: "return"; version: number; verdicts: Verdict[]; dueOn: string | null; note: string | null }
  | { decision: "refuse"; version: number; reason: string | null };

export type DecisionOutcome =
  | { ok: true; status: ApplicationStatus }
  | {
      ok: false;
      field: DecisionError["field"] | "form" | "paper";
      material?: MaterialId;
      unjudged?: MaterialId[];
      message: string;
    };

/** The message for the officer who came second (the other decision stands; nothing was written). */
export const CONCURRENT_CHANGE_MESSAGE =
  "该申报已被其他工作人员处理（或刚刚被修改），您的操作未生效。请刷新页面查看最新状态后再操作。";

const EVENTS: Record<DecisionInput["decision"], ApplicationEvent> = {
  accept: "accept",
  return: "return_for_supplement",
  refuse: "refuse",
};

/** 形式审查: accept (受理), return for supplement (退回补正, 一次性告知) or refuse (不予受理). */
export async function decideFormalReview(
  actor: StaffActor,
  id: string,
  input: DecisionInput,
): Promise<DecisionOutcome> {
  const application = await loadForStaff(id);
  if (!application) return { ok: false, field: "form", message: "申报不存在。" };
  if (application.version !== input.version) return { ok: false, field: "form", message: CONCURRENT_CHANGE_MESSAGE };
  const moved = transition(application.status, EVENTS[input.decision]);
  if (!moved.ok) return { ok: false, field: "form", message: moved.message };
  const at = now();
  const cycle = application.reviewCycle;
  const earlier = acceptedEarlier(application);
  const present = materialsToJudge(presentMaterials(application.materials), earlier);
  const refuseWith = (error: DecisionError): DecisionOutcome => ({ ok: false, ...error });

  let verdicts: Verdict[] = [];
  let items: NoticeItem[] = [];
  let dueAt: Date | null = null;
  let reason: string | null = null;
  if (input.decision === "accept") {
    const check = checkAccept(present, input.verdicts, earlier);
    if (!check.ok) return refuseWith(check.error);
    const paper = paperCopiesAcceptError({
      required: application.round.paperCopiesRequired,
      receivedOn: application.paperCopiesReceivedOn,
    });
    if (paper) return { ok: false, field: "paper", message: paper };
    verdicts = input.verdicts.filter((v) => present.includes(v.material));
  } else if (input.decision === "return") {
    if (input.dueOn !== null && !parseCalendarDate(input.dueOn))
      return { ok: false, field: "dueAt", message: "补正截止日期格式不正确，应为 YYYY-MM-DD" };
    dueAt = input.dueOn ? supplementDueInstant(input.dueOn) : null;
    const check = checkReturn({
      present,
      verdicts: input.verdicts,
      dueAt,
      now: at,
      note: input.note,
      acceptedEarlier: earlier,
    });
    if (!check.ok) return refuseWith(check.error);
    verdicts = input.verdicts.filter((v) => present.includes(v.material));
    items = check.value;
    reason = noticeText(items);
  } else {
    const check = checkRefuse(input.reason);
    if (!check.ok) return refuseWith(check.error);
    reason = check.value;
  }

  const prisma = await db();
  const mailTo = application.organisation.contactEmail;
  const mailFacts = {
    providerName: application.organisation.name,
    enterpriseName: application.enterprise.name,
    applicationNumber: application.number,
    link: `${env().publicUrl}/provider/applications/${application.id}`,
  };
  return prisma.$transaction(async (tx) => {
    const updated = await tx.application.updateMany({
      where: { id, version: application.version, status: application.status },
      data: {
        status: moved.to,
        version: { increment: 1 },
        ...(input.decision === "accept" ? { acceptedAt: at } : {}),
        ...(input.decision === "return" ? { supplementDueAt: dueAt } : {}),
        ...(input.decision === "refuse" ? { refusalReason: reason } : {}),
      },
    });
    // Someone else decided first: nothing is written, no mail is sent.
    if (updated.count !== 1) return { ok: false as const, field: "form" as const, message: CONCURRENT_CHANGE_MESSAGE };
    if (verdicts.length > 0) {
      await tx.materialReview.createMany({
        data: verdicts.map((v) => ({
          applicationId: id,
          cycle,
          material: v.material,
          verdict: v.verdict,
          reason: v.verdict === "rejected" ? (v.reason?.trim() ?? null) : null,
          reviewedById: actor.id,
          reviewedAt: at,
        })),
      });
    }
    if (input.decision === "return" && dueAt) {
      await tx.supplementNotice.create({
        data: {
          applicationId: id,
          cycle,
          items,
          note: input.note?.trim() || null,
          dueAt,
          issuedById: actor.id,
          issuedAt: at,
        },
      });
    }
    await recordAudit(tx, {
      actor,
      action: DECISION_ACTIONS[input.decision],
      entityType: "application",
      entityId: id,
      before: { status: application.status, version: application.version, cycle },
      after: {
        status: moved.to,
        version: application.version + 1,
        verdicts: verdicts.map((v) => ({ material: v.material, verdict: v.verdict, reason: v.reason })),
        ...(dueAt ? { supplementDueAt: dueAt.toISOString() } : {}),
      },
      ...(reason ? { reason } : {}),
    });
    const mail =
      input.decision === "accept"
        ? applicationAcceptedMail({ ...mailFacts, acceptedAt: at })
        : input.decision === "return" && dueAt
          ? supplementRequestedMail({ ...mailFacts, items, dueAt })
          : applicationRefusedMail({ ...mailFacts, reason: reason ?? "" });
    await enqueueMail(tx, { to: mailTo, ...mail });
    return { ok: true as const, status: moved.to };
  });
}

export type PaperCopiesOutcome =
  { ok: true; count: number } | { ok: false; field: "receivedOn" | "receivedBy" | "applicationIds"; message: string };

/**
 * R-MAT-3: the two paper copies (纸质材料一式两份) arrived: the Beijing date and who received them,
 * for one application or several of one provider at once. Only filed (not draft) applications.
 */
export async function recordPaperCopies(
  actor: StaffActor,
  input: { applicationIds: string[]; organisationId?: string; receivedOn: string; receivedBy: string },
): Promise<PaperCopiesOutcome> {
  if (!parseCalendarDate(input.receivedOn))
    return { ok: false, field: "receivedOn", message: "收到日期格式不正确，应为 YYYY-MM-DD" };
  if (input.receivedOn > shanghaiDate(now()))
    return { ok: false, field: "receivedOn", message: "收到日期不能晚于今天" };
  const receivedBy = input.receivedBy.trim();
  if (receivedBy.length === 0) return { ok: false, field: "receivedBy", message: "请填写接收人" };
  if (input.applicationIds.length === 0) return { ok: false, field: "applicationIds", message: "请至少选择一份申报" };
  const prisma = await db();
  const applications = await prisma.application.findMany({
    where: {
      id: { in: input.applicationIds },
      status: { not: "draft" },
      ...(input.organisationId ? { organisationId: input.organisationId } : {}),
    },
    select: { id: true, number: true, paperCopiesReceivedOn: true, paperCopiesReceivedBy: true },
  });
  if (applications.length !== new Set(input.applicationIds).size) {
    return {
      ok: false,
      field: "applicationIds",
      message: "所选申报中有草稿或不属于该服务商的申报，请刷新页面后重新选择",
    };
  }
  await prisma.$transaction(async (tx) => {
    for (const application of applications) {
      await tx.application.update({
        where: { id: application.id },
        data: { paperCopiesReceivedOn: input.receivedOn, paperCopiesReceivedBy: receivedBy },
      });
      await recordAudit(tx, {
        actor,
        action: "application.paper_copies",
        entityType: "application",
        entityId: application.id,
        before: { receivedOn: application.paperCopiesReceivedOn, receivedBy: application.paperCopiesReceivedBy },
        after: { receivedOn: input.receivedOn, receivedBy },
        reason: "纸质材料一式两份",
      });
    }
  });
  return { ok: true, count: applications.length };
}

/** A provider's filed applications with their paper-copy state, for the bulk form. */
export async function providerApplicationsForDesk(organisationId: string) {
  const prisma = await db();
  const applications = await prisma.application.findMany({
    where: { organisationId, status: { not: "draft" } },
    orderBy: { number: "asc" },
    select: {
      id: true,
      number: true,
      status: true,
      submittedAt: true,
      paperCopiesReceivedOn: true,
      paperCopiesReceivedBy: true,
      enterprise: { select: { name: true } },
      round: { select: { name: true } },
    },
  });
  return applications.map((a) => ({
    id: a.id,
    number: a.number,
    statusLabel: APPLICATION_STATUSES[a.status],
    enterpriseName: a.enterprise.name,
    roundName: a.round.name,
    submittedAt: a.submittedAt ? formatShanghai(a.submittedAt) : null,
    paperCopiesReceivedOn: a.paperCopiesReceivedOn,
    paperCopiesReceivedBy: a.paperCopiesReceivedBy,
  }));
}
