/**
 * M7 被诊断企业汇总表 (R-MAT-2): one table per provider per round. Downloading the generated table
 * records what it was generated from (the provider's applications in the round, their digest printed on
 * the table); the signed and sealed scan is uploaded once, against the latest generation, and is filed
 * as M7 of every application of the provider in the round that may still change M7 — so it counts for
 * each application's completeness. A table generated before an application was added is stale: its
 * upload is refused and so is a submission relying on it.
 */
import crypto from "node:crypto";

import { filingRefusal } from "~/domain/eligibility.ts";
import { noticeItemsFrom, noticeMaterials } from "~/domain/formal-review.ts";
import { formatShanghai, isBeforeDeadline } from "~/domain/shanghai-time.ts";
import { addedSince, checkCode, idsFromJson, staleMessage, summaryKey } from "~/domain/summary-table.ts";
import { recordAudit } from "~/models/audit.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db } from "~/utils/db.server.ts";

type Scope = { userId: string; userName: string; organisationId: string };

export function summaryDigest(applicationIds: readonly string[]): string {
  return crypto.createHash("sha256").update(summaryKey(applicationIds), "utf8").digest("hex");
}

async function roundApplications(organisationId: string, roundId: string) {
  const prisma = await db();
  return prisma.application.findMany({
    where: { organisationId, roundId },
    orderBy: { number: "asc" },
    select: { id: true, number: true },
  });
}

async function latestGeneration(organisationId: string, roundId: string, uploadedOnly = false) {
  const prisma = await db();
  return prisma.providerSummaryTable.findFirst({
    where: { organisationId, roundId, ...(uploadedOnly ? { fileId: { not: null } } : {}) },
    orderBy: [{ generatedAt: "desc" }, { id: "desc" }],
    include: { file: { select: { id: true, fileName: true, size: true, sha256: true } } },
  });
}

/**
 * Records that the table was generated now from the provider's current applications (the latest
 * generation is reused when it lists exactly the same applications). Returns what the PDF prints.
 */
export async function recordSummaryGeneration(scope: Scope, roundId: string) {
  const applications = await roundApplications(scope.organisationId, roundId);
  const ids = applications.map((a) => a.id);
  const digest = summaryDigest(ids);
  const latest = await latestGeneration(scope.organisationId, roundId);
  if (latest && latest.digest === digest)
    return { id: latest.id, digest, checkCode: checkCode(digest), generatedAt: latest.generatedAt };
  const prisma = await db();
  const at = now();
  const row = await prisma.$transaction(async (tx) => {
    const created = await tx.providerSummaryTable.create({
      data: {
        organisationId: scope.organisationId,
        roundId,
        applicationIds: [...ids].sort(),
        digest,
        generatedAt: at,
        generatedById: scope.userId,
      },
    });
    await recordAudit(tx, {
      actor: { id: scope.userId, name: scope.userName },
      action: "organisation.summary_table_generate",
      entityType: "organisation",
      entityId: scope.organisationId,
      after: { roundId, digest, applications: applications.map((a) => a.number) },
    });
    return created;
  });
  return { id: row.id, digest, checkCode: checkCode(digest), generatedAt: at };
}

/** What the provider's summary page shows: the latest generation, the uploaded table and whether it is stale. */
export async function summaryTableState(organisationId: string, roundId: string) {
  const [applications, latest, uploaded] = await Promise.all([
    roundApplications(organisationId, roundId),
    latestGeneration(organisationId, roundId),
    latestGeneration(organisationId, roundId, true),
  ]);
  const numberOf = new Map(applications.map((a) => [a.id, a.number]));
  const current = applications.map((a) => a.id);
  const uploadedAdded = uploaded
    ? addedSince(idsFromJson(uploaded.applicationIds), current).map((id) => numberOf.get(id) ?? id)
    : [];
  const latestAdded = latest
    ? addedSince(idsFromJson(latest.applicationIds), current).map((id) => numberOf.get(id) ?? id)
    : [];
  return {
    applicationCount: applications.length,
    generated: latest && {
      generatedAt: formatShanghai(latest.generatedAt),
      checkCode: checkCode(latest.digest),
      count: idsFromJson(latest.applicationIds).length,
      stale: latestAdded.length > 0,
      added: latestAdded,
      uploaded: latest.fileId !== null,
    },
    uploaded: uploaded && {
      generatedAt: formatShanghai(uploaded.generatedAt),
      uploadedAt: uploaded.uploadedAt ? formatShanghai(uploaded.uploadedAt) : null,
      checkCode: checkCode(uploaded.digest),
      count: idsFromJson(uploaded.applicationIds).length,
      file: uploaded.file,
      stale: uploadedAdded.length > 0,
      added: uploadedAdded,
    },
  };
}

/**
 * R-MAT-2: why this application cannot rely on the provider's uploaded summary table (none uploaded,
 * or it does not list every application the provider has in the round), or null.
 */
export async function summaryTableProblem(
  organisationId: string,
  roundId: string,
  applicationId: string,
): Promise<string | null> {
  const [applications, uploaded] = await Promise.all([
    roundApplications(organisationId, roundId),
    latestGeneration(organisationId, roundId, true),
  ]);
  if (!uploaded) return "尚未上传签字盖章的被诊断企业汇总表（M7），不能提交。请在“汇总表（M7）”页面下载、盖章后上传。";
  const listed = idsFromJson(uploaded.applicationIds);
  const added = addedSince(
    listed,
    applications.map((a) => a.id),
  );
  if (added.length > 0 || !listed.includes(applicationId)) {
    const numbers = applications.filter((a) => added.includes(a.id)).map((a) => a.number);
    return staleMessage(numbers.length ? numbers : [applicationId], formatShanghai(uploaded.generatedAt));
  }
  return null;
}

export type SummaryUploadOutcome = { ok: true; filedOn: string[] } | { ok: false; message: string };

/**
 * The signed scan of the latest generated table, uploaded once: refused when the table is stale, and
 * filed as M7 of every application that may still change M7 (a draft, or one returned for M7 before
 * its supplement deadline), each on the record (R-LOG-1).
 */
export async function uploadSummaryTable(scope: Scope, roundId: string, fileId: string): Promise<SummaryUploadOutcome> {
  const prisma = await db();
  const [organisation, round] = await Promise.all([
    prisma.organisation.findUnique({
      where: { id: scope.organisationId },
      select: { name: true, suspendedAt: true, suspendedReason: true },
    }),
    prisma.round.findUnique({ where: { id: roundId }, select: { name: true } }),
  ]);
  if (!organisation || !round) return { ok: false, message: "服务商或批次不存在。" };
  const listed = await prisma.roundProvider.count({ where: { roundId, name: organisation.name } });
  const refusal = filingRefusal({
    roundName: round.name,
    organisationName: organisation.name,
    onRoundList: listed > 0,
    suspendedReason: organisation.suspendedAt ? (organisation.suspendedReason ?? "") : null,
  });
  if (refusal) return { ok: false, message: refusal };
  const latest = await latestGeneration(scope.organisationId, roundId);
  if (!latest) return { ok: false, message: "请先下载系统生成的汇总表，签字盖章后再上传。" };
  const applications = await prisma.application.findMany({
    where: { organisationId: scope.organisationId, roundId },
    orderBy: { number: "asc" },
    select: { id: true, number: true, status: true, reviewCycle: true, supplementNotices: true },
  });
  const added = addedSince(
    idsFromJson(latest.applicationIds),
    applications.map((a) => a.id),
  );
  if (added.length > 0) {
    return {
      ok: false,
      message: staleMessage(
        applications.filter((a) => added.includes(a.id)).map((a) => a.number),
        formatShanghai(latest.generatedAt),
      ),
    };
  }
  const at = now();
  const changeable = applications.filter((a) => {
    if (a.status === "draft") return true;
    if (a.status !== "returned") return false;
    const notice = a.supplementNotices.find((n) => n.cycle === a.reviewCycle && n.resubmittedAt === null);
    return (
      notice !== undefined &&
      noticeMaterials(noticeItemsFrom(notice.items)).includes("M7") &&
      isBeforeDeadline(at, notice.dueAt)
    );
  });
  if (changeable.length === 0)
    return { ok: false, message: "本批次没有可以更换汇总表的申报（已提交的申报不能再更换材料）。" };
  const file = await prisma.storedFile.findFirst({
    where: { id: fileId, uploadedById: scope.userId },
    select: { id: true, fileName: true, sha256: true },
  });
  if (!file) return { ok: false, message: "请重新上传汇总表。" };
  return prisma.$transaction(async (tx) => {
    await tx.providerSummaryTable.update({
      where: { id: latest.id },
      data: { fileId: file.id, uploadedAt: at, uploadedById: scope.userId },
    });
    await recordAudit(tx, {
      actor: { id: scope.userId, name: scope.userName },
      action: "organisation.summary_table_upload",
      entityType: "organisation",
      entityId: scope.organisationId,
      before: latest.fileId ? { fileId: latest.fileId } : undefined,
      after: {
        roundId,
        digest: latest.digest,
        fileId: file.id,
        fileName: file.fileName,
        sha256: file.sha256,
        applications: changeable.map((a) => a.number),
      },
    });
    for (const application of changeable) {
      const replaced = await tx.applicationMaterial.findMany({
        where: { applicationId: application.id, material: "M7", removedAt: null },
        select: { id: true, fileId: true },
      });
      if (replaced.length > 0)
        await tx.applicationMaterial.updateMany({
          where: { id: { in: replaced.map((r) => r.id) } },
          data: { removedAt: at },
        });
      await tx.applicationMaterial.create({
        data: { applicationId: application.id, material: "M7", fileId: file.id, createdAt: at },
      });
      await recordAudit(tx, {
        actor: { id: scope.userId, name: scope.userName },
        action: replaced.length > 0 ? "material.replace" : "material.add",
        entityType: "application",
        entityId: application.id,
        before: replaced.length > 0 ? { material: "M7", fileIds: replaced.map((r) => r.fileId) } : undefined,
        after: {
          material: "M7",
          fileId: file.id,
          fileName: file.fileName,
          sha256: file.sha256,
          summaryDigest: latest.digest,
        },
      });
    }
    return { ok: true as const, filedOn: changeable.map((a) => a.number) };
  });
}
