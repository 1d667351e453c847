/**
 * Applications (申报): one per diagnosed enterprise and round. Every query is scoped to the acting
 * provider's organisation, so a forgotten check cannot leak another organisation's data. State changes
 * write their audit entry (and mail) in the same transaction.
 */
import {
  APPLICATION_STATUSES,
  type ApplicationStatus,
  providerCanEdit,
  transition,
} from "~/domain/application-status.ts";
import { filingRefusal } from "~/domain/eligibility.ts";
import {
  checkResubmit,
  mayChangeMaterial,
  type NoticeItem,
  noticeItemsFrom,
  noticeMaterials,
} from "~/domain/formal-review.ts";
import { checklist, isComplete, isMaterialId, type MaterialId, MATERIALS, type PhotoTag } from "~/domain/materials.ts";
import { formatShanghai, isBeforeDeadline } from "~/domain/shanghai-time.ts";
import { completionCheck } from "~/domain/workdays.ts";
import { draftReleasedMail, resubmissionMail, submissionReceiptMail } from "~/emails/application.ts";
import { type Actor, recordAudit } from "~/models/audit.server.ts";
import { enqueueMail } from "~/services/mail.server.ts";
import { objectStore, storeUpload } from "~/services/storage.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db, isUniqueViolation } from "~/utils/db.server.ts";
import { env } from "~/utils/env.server.ts";

import { receiptPdf } from "./application-documents.server.ts";
import { summaryTableProblem } from "./summary-table.server.ts";

export type ProviderScope = { userId: string; userName: string; organisationId: string };

export type ApplicationData = {
  enterpriseUscc: string;
  reportTitle: string;
  contractAmountFen: number;
  contractSignedOn: string;
  diagnosisCompletedOn: string;
};

function dueDateFields(data: Pick<ApplicationData, "contractSignedOn" | "diagnosisCompletedOn">) {
  const check = completionCheck(data.contractSignedOn, data.diagnosisCompletedOn);
  return check.ok
    ? { diagnosisDueOn: check.dueDate, completionLate: check.late }
    : { diagnosisDueOn: null, completionLate: false };
}

/** The enterprises of a round for the picker, with who has already filed for each (R-ELIG-4). */
export async function enterprisesForPicker(roundId: string, organisationId: string) {
  const prisma = await db();
  const enterprises = await prisma.roundEnterprise.findMany({
    where: { roundId },
    orderBy: { seq: "asc" },
    select: {
      id: true,
      seq: true,
      name: true,
      applications: { select: { organisationId: true, enterpriseUscc: true } },
    },
  });
  return enterprises.map((e) => ({
    id: e.id,
    seq: e.seq,
    name: e.name,
    uscc: e.applications[0]?.enterpriseUscc ?? null,
    taken: e.applications.length > 0 ? (e.applications[0]?.organisationId === organisationId ? "own" : "other") : null,
  }));
}

/**
 * R-ELIG-1, R-ELIG-2: why the organisation may not file or submit in this round (not on THIS round's
 * provider list, or suspended by the bureau), or null.
 */
export async function filingRefusalFor(organisationId: string, roundId: string): Promise<string | null> {
  const prisma = await db();
  const [organisation, round] = await Promise.all([
    prisma.organisation.findUnique({
      where: { id: organisationId },
      select: { name: true, suspendedAt: true, suspendedReason: true },
    }),
    prisma.round.findUnique({ where: { id: roundId }, select: { name: true } }),
  ]);
  if (!organisation || !round) return "服务商或批次不存在。";
  const listed = await prisma.roundProvider.count({ where: { roundId, name: organisation.name } });
  return filingRefusal({
    roundName: round.name,
    organisationName: organisation.name,
    onRoundList: listed > 0,
    suspendedReason: organisation.suspendedAt ? (organisation.suspendedReason ?? "") : null,
  });
}

/** M7 is filed once per provider and round, on the summary page, never per application. */
export const SUMMARY_TABLE_ELSEWHERE =
  "被诊断企业汇总表（M7）每个服务商每批次只需一份：请在“汇总表（M7）”页面下载、签字盖章后上传，系统会计入本批次的每份申报。";

export type CreateResult =
  { ok: true; id: string } | { ok: false; field: "enterpriseId" | "enterpriseUscc"; message: string };

/** R-ELIG-3, R-ELIG-4: a draft for an enterprise of the round's list that no one has filed for yet. */
export async function createApplication(
  scope: ProviderScope,
  input: ApplicationData & { roundId: string; enterpriseId: string },
): Promise<CreateResult> {
  const prisma = await db();
  const enterprise = await prisma.roundEnterprise.findFirst({
    where: { id: input.enterpriseId, roundId: input.roundId },
    include: { round: true, applications: { select: { organisationId: true } } },
  });
  if (!enterprise) return { ok: false, field: "enterpriseId", message: "请从本批次企业名单中选择被诊断企业。" };
  if (!isBeforeDeadline(now(), enterprise.round.deadline) || enterprise.round.status !== "open") {
    return { ok: false, field: "enterpriseId", message: "本批次不在申报期内，不能新建申报。" };
  }
  const refusal = await filingRefusalFor(scope.organisationId, input.roundId);
  if (refusal) return { ok: false, field: "enterpriseId", message: refusal };
  const refuse = async (): Promise<CreateResult> => {
    await prisma.$transaction(async (tx) => {
      await tx.enterpriseClaimAttempt.create({
        data: {
          roundId: input.roundId,
          enterpriseId: input.enterpriseId,
          organisationId: scope.organisationId,
          at: now(),
        },
      });
      await recordAudit(tx, {
        actor: { id: scope.userId, name: scope.userName },
        action: "application.claim_refused",
        entityType: "enterprise",
        entityId: input.enterpriseId,
        after: { organisationId: scope.organisationId },
        reason: "该企业本批次已由其他服务商申报（同一企业每批次只能补助一次）",
      });
    });
    const own = enterprise.applications[0]?.organisationId === scope.organisationId;
    return {
      ok: false,
      field: "enterpriseId",
      message: own
        ? `贵单位已为“${enterprise.name}”建立申报，请在申报列表中继续填写。`
        : `“${enterprise.name}”在本批次已由其他服务商申报，同一企业每批次只能补助一次。`,
    };
  };
  if (enterprise.applications.length > 0) return refuse();
  const clash = await prisma.application.findFirst({
    where: { roundId: input.roundId, enterpriseUscc: input.enterpriseUscc },
    select: { id: true },
  });
  if (clash)
    return { ok: false, field: "enterpriseUscc", message: "该统一社会信用代码已用于本批次的另一份申报，请核对。" };
  try {
    const id = await prisma.$transaction(async (tx) => {
      const round = await tx.round.update({
        where: { id: input.roundId },
        data: { applicationSeq: { increment: 1 } },
        select: { code: true, applicationSeq: true },
      });
      const application = await tx.application.create({
        data: {
          number: `${round.code}-${String(round.applicationSeq).padStart(4, "0")}`,
          roundId: input.roundId,
          organisationId: scope.organisationId,
          enterpriseId: input.enterpriseId,
          enterpriseUscc: input.enterpriseUscc,
          eligibilityConfirmedAt: now(),
          reportTitle: input.reportTitle,
          contractAmountFen: input.contractAmountFen,
          contractSignedOn: input.contractSignedOn,
          diagnosisCompletedOn: input.diagnosisCompletedOn,
          ...dueDateFields(input),
          createdById: scope.userId,
        },
      });
      await recordAudit(tx, {
        actor: { id: scope.userId, name: scope.userName },
        action: "application.create",
        entityType: "application",
        entityId: application.id,
        after: { number: application.number, enterprise: enterprise.name, contractAmountFen: input.contractAmountFen },
      });
      return application.id;
    });
    return { ok: true, id };
  } catch (error) {
    if (isUniqueViolation(error)) return refuse();
    throw error;
  }
}

const applicationInclude = {
  enterprise: { select: { name: true } },
  round: { select: { id: true, name: true, deadline: true, isDemo: true, code: true } },
  organisation: { select: { name: true, uscc: true, licenseFileId: true } },
  materials: {
    where: { removedAt: null },
    orderBy: { createdAt: "asc" as const },
    include: {
      file: { select: { id: true, fileName: true, contentType: true, size: true, sha256: true, createdAt: true } },
    },
  },
  supplementNotices: { orderBy: { cycle: "asc" as const } },
} as const;

/** The provider's own application, or null (also when it belongs to another organisation). */
export async function getOwnApplication(scope: ProviderScope, id: string) {
  const prisma = await db();
  return prisma.application.findFirst({
    where: { id, organisationId: scope.organisationId },
    include: applicationInclude,
  });
}

export type OwnApplication = NonNullable<Awaited<ReturnType<typeof getOwnApplication>>>;

export function materialChecklist(application: { materials: { material: string; photoTag: PhotoTag | null }[] }) {
  return checklist(presentMaterials(application));
}

export async function listOwnApplications(scope: ProviderScope, roundId: string) {
  const prisma = await db();
  const applications = await prisma.application.findMany({
    where: { organisationId: scope.organisationId, roundId },
    orderBy: { number: "asc" },
    include: {
      enterprise: { select: { name: true } },
      materials: { where: { removedAt: null }, select: { material: true, photoTag: true } },
    },
  });
  return applications.map((a) => {
    const items = materialChecklist(a);
    return {
      id: a.id,
      number: a.number,
      enterpriseName: a.enterprise.name,
      enterpriseUscc: a.enterpriseUscc,
      reportTitle: a.reportTitle,
      contractAmountFen: a.contractAmountFen,
      contractSignedOn: a.contractSignedOn,
      diagnosisCompletedOn: a.diagnosisCompletedOn,
      status: a.status,
      statusLabel: APPLICATION_STATUSES[a.status],
      submittedAt: a.submittedAt ? formatShanghai(a.submittedAt) : null,
      missing: items.filter((i) => !i.complete).map((i) => i.reason ?? i.name),
    };
  });
}

export class NotEditableError extends Error {}

export type OpenSupplement = {
  cycle: number;
  items: NoticeItem[];
  materials: MaterialId[];
  dueAt: Date;
  issuedAt: Date;
};

/** 补正: the notice of the current cycle while the application is returned, or null. */
export function openSupplement(
  application: Pick<OwnApplication, "status" | "reviewCycle" | "supplementNotices">,
): OpenSupplement | null {
  if (application.status !== "returned") return null;
  const notice = application.supplementNotices.find(
    (n) => n.cycle === application.reviewCycle && n.resubmittedAt === null,
  );
  if (!notice) return null;
  const items = noticeItemsFrom(notice.items);
  return {
    cycle: notice.cycle,
    items,
    materials: noticeMaterials(items),
    dueAt: notice.dueAt,
    issuedAt: notice.issuedAt,
  };
}

async function requireEditable(scope: ProviderScope, id: string) {
  const application = await getOwnApplication(scope, id);
  if (!application) throw new Response("申报不存在。", { status: 404 });
  if (!providerCanEdit(application.status)) {
    throw new NotEditableError(`申报${APPLICATION_STATUSES[application.status]}，不能再修改。`);
  }
  return application;
}

/**
 * A draft may change any material; a returned application only the materials its supplement notice
 * names, and only before the supplement deadline (server clock); anything else not at all.
 */
export async function requireMaterialChangeable(scope: ProviderScope, id: string, material: string) {
  const application = await requireEditable(scope, id);
  if (application.status === "draft") return application;
  const supplement = openSupplement(application);
  if (!supplement) throw new NotEditableError("申报已退回补正，但未找到补正通知，请联系区工信局。");
  if (!mayChangeMaterial(application.status, supplement.materials, material)) {
    const name = isMaterialId(material) ? `${material} ${MATERIALS[material].name}` : material;
    throw new NotEditableError(
      `“${name}”已通过形式审查，补正时只能更换补正通知列出的材料：${supplement.materials.map((m) => `${m} ${MATERIALS[m].name}`).join("、")}。`,
    );
  }
  if (!isBeforeDeadline(now(), supplement.dueAt)) {
    throw new NotEditableError(
      `已过补正截止时间（${formatShanghai(supplement.dueAt)}，北京时间），不能再更换材料，请联系区工信局。`,
    );
  }
  return application;
}

export async function updateApplicationData(scope: ProviderScope, id: string, data: ApplicationData) {
  const application = await requireEditable(scope, id);
  if (application.status !== "draft") throw new NotEditableError("退回补正的申报只能更换被退回的材料。");
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    await tx.application.update({ where: { id }, data: { ...data, ...dueDateFields(data) } });
    await recordAudit(tx, {
      actor: { id: scope.userId, name: scope.userName },
      action: "application.update",
      entityType: "application",
      entityId: id,
      before: {
        enterpriseUscc: application.enterpriseUscc,
        reportTitle: application.reportTitle,
        contractAmountFen: application.contractAmountFen,
        contractSignedOn: application.contractSignedOn,
        diagnosisCompletedOn: application.diagnosisCompletedOn,
      },
      after: data,
    });
  });
}

/** Files a stored file as a material; a single-file material replaces what was there (kept in history). */
export async function attachMaterial(
  scope: ProviderScope,
  id: string,
  material: MaterialId,
  fileId: string,
  photoTag: PhotoTag | null,
) {
  if (material === "M7") throw new NotEditableError(SUMMARY_TABLE_ELSEWHERE);
  await requireMaterialChangeable(scope, id, material);
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const replaced = MATERIALS[material].multiple
      ? []
      : await tx.applicationMaterial.findMany({
          where: { applicationId: id, material, removedAt: null },
          select: { id: true, fileId: true },
        });
    if (replaced.length > 0) {
      await tx.applicationMaterial.updateMany({
        where: { id: { in: replaced.map((r) => r.id) } },
        data: { removedAt: now() },
      });
    }
    const row = await tx.applicationMaterial.create({
      data: {
        applicationId: id,
        material,
        fileId,
        photoTag: material === "M5" ? (photoTag ?? "other") : null,
        createdAt: now(),
      },
      include: { file: true },
    });
    await recordAudit(tx, {
      actor: { id: scope.userId, name: scope.userName },
      action: replaced.length > 0 ? "material.replace" : "material.add",
      entityType: "application",
      entityId: id,
      before: replaced.length > 0 ? { material, fileIds: replaced.map((r) => r.fileId) } : undefined,
      after: { material, fileId, fileName: row.file.fileName, sha256: row.file.sha256, photoTag: row.photoTag },
    });
    return row;
  });
}

export async function removeMaterial(scope: ProviderScope, id: string, materialRowId: string) {
  const prisma = await db();
  const target = await prisma.applicationMaterial.findFirst({
    where: { id: materialRowId, applicationId: id, application: { organisationId: scope.organisationId } },
  });
  if (!target) return;
  if (target.material === "M7") throw new NotEditableError(SUMMARY_TABLE_ELSEWHERE);
  await requireMaterialChangeable(scope, id, target.material);
  await prisma.$transaction(async (tx) => {
    const row = await tx.applicationMaterial.findFirst({
      where: { id: materialRowId, applicationId: id, removedAt: null },
      include: { file: true },
    });
    if (!row) return;
    await tx.applicationMaterial.update({ where: { id: row.id }, data: { removedAt: now() } });
    await recordAudit(tx, {
      actor: { id: scope.userId, name: scope.userName },
      action: "material.remove",
      entityType: "application",
      entityId: id,
      before: { material: row.material, fileId: row.fileId, fileName: row.file.fileName },
    });
  });
}

/** R-MAT-2, R-LOG-1: photo tags decide whether M5 is complete, so a change of tag is on the record. */
export async function tagPhoto(scope: ProviderScope, id: string, materialRowId: string, photoTag: PhotoTag) {
  await requireMaterialChangeable(scope, id, "M5");
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    const row = await tx.applicationMaterial.findFirst({
      where: {
        id: materialRowId,
        applicationId: id,
        material: "M5",
        removedAt: null,
        application: { organisationId: scope.organisationId },
      },
      include: { file: { select: { fileName: true } } },
    });
    if (!row || row.photoTag === photoTag) return;
    await tx.applicationMaterial.update({ where: { id: row.id }, data: { photoTag } });
    await recordAudit(tx, {
      actor: { id: scope.userId, name: scope.userName },
      action: "material.tag_photo",
      entityType: "application",
      entityId: id,
      before: { material: "M5", fileId: row.fileId, fileName: row.file.fileName, photoTag: row.photoTag },
      after: { material: "M5", fileId: row.fileId, fileName: row.file.fileName, photoTag },
    });
  });
}

export type SubmitOutcome = { ok: true; submittedAt: Date } | { ok: false; field?: "attestation"; message: string };

/**
 * R-MAT-1, R-MAT-2, R-DATE-1: submission needs every material, the seal attestation and the server's
 * clock before the round's deadline. The receipt (提交回执) is made and stored first, then recorded with
 * the submission and mailed to the submitter (attached) in one transaction; a receipt whose submission
 * did not happen is deleted again.
 */
export async function submitApplication(
  scope: ProviderScope,
  id: string,
  input: { attested: boolean },
): Promise<SubmitOutcome> {
  const at = now();
  const application = await getOwnApplication(scope, id);
  if (!application) return { ok: false, message: "申报不存在。" };
  const moved = transition(application.status, "submit");
  if (!moved.ok) return { ok: false, message: moved.message };
  if (!isBeforeDeadline(at, application.round.deadline)) {
    return {
      ok: false,
      message: `已过申报截止时间（${formatShanghai(application.round.deadline, true)}，北京时间），逾期不予受理。草稿已保留。`,
    };
  }
  if (!isComplete(presentMaterials(application))) {
    return { ok: false, message: "材料不齐全，不能提交。请按清单补齐后再提交。" };
  }
  if (!input.attested) return { ok: false, field: "attestation", message: "请确认所有复印件材料均已加盖企业公章。" };
  const refusal = await filingRefusalFor(scope.organisationId, application.roundId);
  if (refusal) return { ok: false, message: refusal };
  const stale = await summaryTableProblem(scope.organisationId, application.roundId, id);
  if (stale) return { ok: false, message: stale };
  const stored = await storeUpload({
    body: [await receiptPdf(application, at)],
    fileName: `提交回执-${application.number}.pdf`,
    purpose: "receipts",
    accepted: ["application/pdf"],
  });
  const prisma = await db();
  const recorded = prisma.$transaction(async (tx) => {
    const receipt = await tx.storedFile.create({
      data: {
        key: stored.key,
        fileName: stored.fileName,
        contentType: "application/pdf",
        size: stored.size,
        sha256: stored.sha256,
        uploadedById: scope.userId,
        createdAt: at,
      },
    });
    const updated = await tx.application.updateMany({
      where: { id, organisationId: scope.organisationId, status: application.status, version: application.version },
      data: {
        status: moved.to,
        version: { increment: 1 },
        submittedAt: at,
        sealAttestedAt: at,
        receiptFileId: receipt.id,
      },
    });
    if (updated.count !== 1) return { ok: false as const, message: "申报已在其他窗口提交或修改，请刷新页面。" };
    await recordAudit(tx, {
      actor: { id: scope.userId, name: scope.userName } satisfies Actor,
      action: "application.submit",
      entityType: "application",
      entityId: id,
      before: { status: application.status },
      after: {
        status: moved.to,
        submittedAt: at.toISOString(),
        materials: application.materials.map((m) => ({
          material: m.material,
          fileName: m.file.fileName,
          sha256: m.file.sha256,
        })),
      },
    });
    const submitter = await tx.user.findUniqueOrThrow({ where: { id: scope.userId }, select: { email: true } });
    await enqueueMail(tx, {
      to: submitter.email,
      ...submissionReceiptMail({
        organisationName: application.organisation.name,
        enterpriseName: application.enterprise.name,
        number: application.number,
        submittedAt: at,
      }),
      attachments: [{ filename: stored.fileName, storageKey: stored.key, contentType: "application/pdf" }],
    });
    return { ok: true as const, submittedAt: at };
  });
  const outcome = await recorded.catch(async (error: unknown) => {
    await objectStore().delete(stored.key);
    throw error;
  });
  if (!outcome.ok) await objectStore().delete(stored.key);
  return outcome;
}

/** The application's current materials that are known ones, as the completeness check reads them (R-MAT-2). */
function presentMaterials(application: { materials: { material: string; photoTag: PhotoTag | null }[] }) {
  return application.materials.flatMap((m) =>
    isMaterialId(m.material) ? [{ material: m.material, photoTag: m.photoTag }] : [],
  );
}

/**
 * 补正 resubmission: before the supplement deadline (server clock), with every material the notice
 * names replaced by a new file and the set complete again (R-MAT-2). Ends the review cycle; the notice
 * keeps when it was answered, so every round trip stays in the history.
 */
export async function resubmitApplication(
  scope: ProviderScope,
  id: string,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const application = await getOwnApplication(scope, id);
  if (!application) return { ok: false, message: "申报不存在。" };
  const moved = transition(application.status, "resubmit");
  if (!moved.ok) return { ok: false, message: moved.message };
  const supplement = openSupplement(application);
  if (!supplement) return { ok: false, message: "未找到补正通知，请联系区工信局。" };
  const at = now();
  const replaced = supplement.materials.filter((m) =>
    application.materials.some((row) => row.material === m && row.createdAt > supplement.issuedAt),
  );
  const check = checkResubmit({ now: at, dueAt: supplement.dueAt, rejected: supplement.materials, replaced });
  if (!check.ok) return { ok: false, message: check.error.message };
  if (!isComplete(presentMaterials(application))) {
    return { ok: false, message: "材料不齐全，不能提交。请按清单补齐后再提交。" };
  }
  const refusal = await filingRefusalFor(scope.organisationId, application.roundId);
  if (refusal) return { ok: false, message: refusal };
  if (supplement.materials.includes("M7")) {
    const stale = await summaryTableProblem(scope.organisationId, application.roundId, id);
    if (stale) return { ok: false, message: stale };
  }
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const updated = await tx.application.updateMany({
      where: { id, organisationId: scope.organisationId, status: application.status, version: application.version },
      data: {
        status: moved.to,
        version: { increment: 1 },
        reviewCycle: { increment: 1 },
        submittedAt: at,
        supplementDueAt: null,
      },
    });
    if (updated.count !== 1) return { ok: false as const, message: "申报已在其他窗口提交或修改，请刷新页面。" };
    await tx.supplementNotice.updateMany({
      where: { applicationId: id, cycle: supplement.cycle },
      data: { resubmittedAt: at },
    });
    await recordAudit(tx, {
      actor: { id: scope.userId, name: scope.userName },
      action: "application.resubmit",
      entityType: "application",
      entityId: id,
      before: { status: application.status, cycle: application.reviewCycle },
      after: {
        status: moved.to,
        cycle: application.reviewCycle + 1,
        replaced: application.materials
          .filter((m) => supplement.materials.some((s) => s === m.material) && m.createdAt > supplement.issuedAt)
          .map((m) => ({ material: m.material, fileName: m.file.fileName, sha256: m.file.sha256 })),
      },
    });
    // The provider's confirmation, in the same transaction as the resubmission (R-LOG-1, outbox).
    const submitter = await tx.user.findUniqueOrThrow({ where: { id: scope.userId }, select: { email: true } });
    await enqueueMail(tx, {
      to: submitter.email,
      ...resubmissionMail({
        organisationName: application.organisation.name,
        enterpriseName: application.enterprise.name,
        number: application.number,
        resubmittedAt: at,
        link: `${env().publicUrl}/provider/applications/${id}`,
      }),
    });
    return { ok: true as const };
  });
}

export function statusLabel(status: ApplicationStatus) {
  return APPLICATION_STATUSES[status];
}

export type ClaimOutcome = { ok: true; number: string } | { ok: false; message: string };

/**
 * R-ELIG-4: a draft holds its enterprise for the round. Releasing the claim removes the draft (it was
 * never submitted: nothing was received or decided) and keeps it on the record: the audit entry carries
 * its number, enterprise and materials, and, when staff release it, the reason. The provider is mailed
 * when staff do it. Only a draft can be released; a submitted application is decided by formal review.
 */
async function releaseDraft(
  where: { id: string; organisationId?: string },
  by: {
    actor: { id: string; name: string };
    action: "application.withdraw" | "application.release_claim";
    reason?: string;
  },
): Promise<ClaimOutcome> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const draft = await tx.application.findFirst({
      where,
      include: {
        enterprise: { select: { name: true } },
        organisation: { select: { name: true, users: { select: { email: true } } } },
        materials: {
          where: { removedAt: null },
          select: { material: true, file: { select: { fileName: true, sha256: true } } },
        },
      },
    });
    if (!draft) return { ok: false, message: "申报不存在。" };
    if (draft.status !== "draft") {
      return { ok: false, message: `申报当前状态为“${APPLICATION_STATUSES[draft.status]}”，只有草稿可以撤回或释放。` };
    }
    // Optimistic: a draft submitted meanwhile in another window stays.
    const removed = await tx.application.deleteMany({
      where: { id: draft.id, status: "draft", version: draft.version },
    });
    if (removed.count !== 1) return { ok: false, message: "申报已在其他窗口提交或修改，请刷新页面。" };
    await recordAudit(tx, {
      actor: by.actor,
      action: by.action,
      entityType: "application",
      entityId: draft.id,
      before: {
        number: draft.number,
        status: draft.status,
        enterprise: draft.enterprise.name,
        organisation: draft.organisation.name,
        materials: draft.materials.map((m) => ({
          material: m.material,
          fileName: m.file.fileName,
          sha256: m.file.sha256,
        })),
      },
      after: { status: "released" },
      reason: by.reason,
    });
    for (const user of by.action === "application.release_claim" ? draft.organisation.users : []) {
      await enqueueMail(tx, {
        to: user.email,
        ...draftReleasedMail({
          organisationName: draft.organisation.name,
          enterpriseName: draft.enterprise.name,
          number: draft.number,
          reason: by.reason ?? "",
          link: `${env().publicUrl}/provider`,
        }),
      });
    }
    return { ok: true, number: draft.number };
  });
}

/** The provider withdraws its own draft: the enterprise is free again for this round (R-ELIG-4). */
export async function withdrawDraft(scope: ProviderScope, id: string): Promise<ClaimOutcome> {
  return releaseDraft(
    { id, organisationId: scope.organisationId },
    { actor: { id: scope.userId, name: scope.userName }, action: "application.withdraw", reason: "服务商撤回草稿" },
  );
}

/** Staff release an enterprise held by a provider's draft, with a reason (R-ELIG-4, R-LOG-1). */
export async function releaseClaim(
  actor: { id: string; name: string },
  id: string,
  reason: string,
): Promise<ClaimOutcome> {
  const text = reason.trim();
  if (text.length < 2) return { ok: false, message: "请填写释放原因（至少 2 个字）。" };
  return releaseDraft({ id }, { actor, action: "application.release_claim", reason: text });
}
