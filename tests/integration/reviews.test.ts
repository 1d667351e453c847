/**
 * The formal review against both real databases: an expert's own assignments only (R-REV-5), the
 * conflict check, drafts and submission with their refusals (R-REV-1, R-REV-2, R-REV-3, R-REV-5), two
 * tabs on one review (Review.version), the review deadline, staff reopening a review on the record
 * (R-REV-5, R-LOG-1), and confirming results: frozen, through the state machine, ONE e-mail per provider
 * that names no expert (R-REV-4, R-MAT-2). Each test makes its own round, provider and reviews (`scene`),
 * so it runs alone and in any order.
 */
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ReviewInput } from "~/domain/scoring.ts";
import {
  confirmNoConflict,
  declareConflict,
  getOwnAssignment,
  listOwnAssignments,
  saveReview,
} from "~/models/review.server.ts";
import {
  confirmResults,
  getApplicationResult,
  listOwnConfirmedResults,
  reopenReview,
} from "~/models/review-result.server.ts";
import { canReadFile } from "~/models/stored-file.server.ts";
import { FolderStore } from "~/services/storage.server.ts";
import { closeDatabase, type Db } from "~/utils/db.server.ts";
import type { SessionUser } from "~/utils/session.server.ts";

import { assignExpert, createApplication, createProvider, createRound, createUser } from "../utils/scenario.ts";
import { useFreshDatabase, VARIANTS } from "../utils/test-database.ts";

function scores(
  basics: number,
  recommendations: number,
  estimates: number,
  extra: Partial<ReviewInput> = {},
): ReviewInput {
  return {
    materialsComplete: true,
    sections: {
      basics: { score: basics, comment: "基本情况介绍较完整" },
      recommendations: { score: recommendations, comment: "建议具体" },
      estimates: { score: estimates, comment: "测算合理" },
    },
    deduction: false,
    veto: false,
    ...extra,
  };
}

describe.each(VARIANTS)("expert reviews on %s", (variant) => {
  let prisma: Db;
  let store: FolderStore;
  let staff: { id: string; name: string };
  let experts: { id: string; name: string; email: string }[];
  let outsider: { id: string; name: string };

  beforeAll(async () => {
    let dataDir: string;
    ({ prisma, dataDir } = await useFreshDatabase(variant));
    process.env.DATA_DIR = dataDir;
    store = new FolderStore(path.join(dataDir, "files"));
    const staffUser = await createUser(prisma, ["staff"], { name: "评审科员" });
    staff = { id: staffUser.user.id, name: staffUser.user.name };
    experts = [];
    for (const name of ["甲专家", "乙专家", "丙专家"]) {
      const { user } = await createUser(prisma, ["expert"], { name });
      experts.push({ id: user.id, name: user.name, email: user.email });
    }
    const other = await createUser(prisma, ["expert"], { name: "丁专家" });
    outsider = { id: other.user.id, name: other.user.name };
  });
  afterAll(async () => {
    await closeDatabase();
  });

  const expert = (i: number) => experts[i] ?? { id: "", name: "", email: "" };

  /**
   * What each test starts from, made for it alone (so it runs by itself, in any order): a round of its own
   * (its review deadline a day ahead), a provider with two applications under review, the first assigned to
   * the three experts, the second to the first expert only. Unless `confirmed: false`, the three experts
   * have confirmed they have no conflict with the first application.
   */
  async function scene(options: { confirmed?: boolean } = {}) {
    const round = await createRound(prisma);
    await prisma.round.update({ where: { id: round.id }, data: { reviewDeadline: new Date(Date.now() + 86_400_000) } });
    const provider = await createProvider(prisma);
    const base = {
      roundId: round.id,
      organisationId: provider.organisation.id,
      createdById: provider.user.id,
      store,
      status: "under_review" as const,
    };
    const application = await createApplication(prisma, { ...base, enterpriseId: round.enterprises[0]?.id ?? "" });
    const second = await createApplication(prisma, { ...base, enterpriseId: round.enterprises[1]?.id ?? "" });
    const assignmentIds: string[] = [];
    for (const each of experts) {
      const assigned = await assignExpert(prisma, {
        applicationId: application.id,
        expertId: each.id,
        assignedById: staff.id,
      });
      assignmentIds.push(assigned.id);
    }
    const secondAssignment = await assignExpert(prisma, {
      applicationId: second.id,
      expertId: expert(0).id,
      assignedById: staff.id,
    });
    if (options.confirmed !== false)
      for (const [i, id] of assignmentIds.entries())
        expect(await confirmNoConflict(expert(i), id)).toEqual({ ok: true });
    return {
      round,
      roundId: round.id,
      provider,
      applicationId: application.id,
      secondApplicationId: second.id,
      secondAssignmentId: secondAssignment.id,
      assignment: (i: number) => assignmentIds[i] ?? "",
    };
  }
  type Scene = Awaited<ReturnType<typeof scene>>;

  /** Expert i's draft of the first application, saved once (version 1). */
  async function draft(at: Scene, i: number, input: ReviewInput) {
    expect(await saveReview(expert(i), at.assignment(i), { input, version: 0, mode: "draft" })).toMatchObject({
      ok: true,
      version: 1,
    });
  }

  /** Expert i's review of the first application, saved as a draft and submitted (version 2). */
  async function submitted(at: Scene, i: number, input: ReviewInput) {
    await draft(at, i, input);
    expect(await saveReview(expert(i), at.assignment(i), { input, version: 1, mode: "submit" })).toMatchObject({
      ok: true,
      status: "submitted",
      version: 2,
    });
  }

  it("R-REV-5 an expert sees only its own assignments; another's does not exist for it", async () => {
    const at = await scene({ confirmed: false });
    const own = await listOwnAssignments(expert(0).id);
    expect(own.map((a) => a.id)).toContain(at.assignment(0));
    expect(own.map((a) => a.id)).not.toContain(at.assignment(1));
    expect(await getOwnAssignment(outsider.id, at.assignment(0))).toBeNull();
    const outcome = await saveReview(outsider, at.assignment(0), {
      input: scores(20, 30, 20),
      version: 0,
      mode: "draft",
    });
    expect(outcome).toMatchObject({ ok: false, status: 404 });
    expect(await confirmNoConflict(outsider, at.assignment(0))).toMatchObject({ ok: false, status: 404 });
  });

  it("R-REV-5 no scoring and no materials before the expert confirms it has no conflict", async () => {
    const at = await scene({ confirmed: false });
    const expertUser = { id: expert(0).id, roles: ["expert"] } as const;
    const material = await prisma.applicationMaterial.findFirstOrThrow({
      where: { applicationId: at.applicationId, material: "M8" },
    });
    expect(await canReadFile(sessionUser(expertUser), material.fileId)).toBe(false);
    expect(
      await saveReview(expert(0), at.assignment(0), { input: scores(20, 30, 20), version: 0, mode: "draft" }),
    ).toMatchObject({ ok: false, status: 409 });
    for (let i = 0; i < 3; i++) expect(await confirmNoConflict(expert(i), at.assignment(i))).toEqual({ ok: true });
    expect(await canReadFile(sessionUser(expertUser), material.fileId)).toBe(true);
    expect(await canReadFile(sessionUser({ id: outsider.id, roles: ["expert"] }), material.fileId)).toBe(false);
    const audit = await prisma.auditEntry.count({
      where: { action: "assignment.confirm_no_conflict", entityId: at.assignment(0) },
    });
    expect(audit).toBe(1);
  });

  it("R-REV-1 saves a draft, refuses out-of-range and half points at the field, and keeps the stored draft", async () => {
    const at = await scene();
    const saved = await saveReview(expert(0), at.assignment(0), {
      input: { sections: { basics: { score: 25, comment: "" } } },
      version: 0,
      mode: "draft",
    });
    expect(saved).toMatchObject({ ok: true, version: 1, status: "draft" });
    const outOfRange = await saveReview(expert(0), at.assignment(0), {
      input: scores(31, 30, 20),
      version: 1,
      mode: "draft",
    });
    expect(outOfRange).toMatchObject({
      ok: false,
      status: 400,
      errors: { "sections.basics.score": ["“基本情况”得分须在 0 至 30 分之间"] },
    });
    const half = await saveReview(expert(0), at.assignment(0), {
      input: scores(20.5, 30, 20),
      version: 1,
      mode: "draft",
    });
    expect(half).toMatchObject({
      ok: false,
      status: 400,
      errors: { "sections.basics.score": ["“基本情况”得分须为整数"] },
    });
    const stored = await prisma.review.findUniqueOrThrow({ where: { assignmentId: at.assignment(0) } });
    expect(stored).toMatchObject({
      status: "draft",
      basicsHalfPoints: 50,
      recommendationsHalfPoints: null,
      version: 1,
    });
  });

  it("R-REV-1 half points are configuration: accepted when the round allows them, stored exactly", async () => {
    const at = await scene();
    await prisma.round.update({ where: { id: at.roundId }, data: { allowHalfPoints: true } });
    const half = await saveReview(expert(2), at.assignment(2), {
      input: { sections: { basics: { score: 20.5 } } },
      version: 0,
      mode: "draft",
    });
    expect(half).toMatchObject({ ok: true, version: 1 });
    const quarter = await saveReview(expert(2), at.assignment(2), {
      input: { sections: { basics: { score: 20.25 } } },
      version: 1,
      mode: "draft",
    });
    expect(quarter).toMatchObject({
      ok: false,
      errors: { "sections.basics.score": ["“基本情况”得分须以 0.5 分为单位"] },
    });
    expect(await prisma.review.findUniqueOrThrow({ where: { assignmentId: at.assignment(2) } })).toMatchObject({
      basicsHalfPoints: 41,
    });
  });

  it("Review.version: a second tab with a stale version is refused with a clear message, never overwriting", async () => {
    const at = await scene();
    await draft(at, 0, { sections: { basics: { score: 25, comment: "" } } });
    const first = await saveReview(expert(0), at.assignment(0), {
      input: scores(26, 30, 20),
      version: 1,
      mode: "draft",
    });
    expect(first).toMatchObject({ ok: true, version: 2 });
    const stale = await saveReview(expert(0), at.assignment(0), {
      input: scores(10, 10, 10),
      version: 1,
      mode: "draft",
    });
    expect(stale).toMatchObject({ ok: false, status: 409, conflict: true });
    expect(stale.ok ? "" : stale.message).toContain("另一个窗口或标签页");
    const stored = await prisma.review.findUniqueOrThrow({ where: { assignmentId: at.assignment(0) } });
    expect(stored).toMatchObject({ basicsHalfPoints: 52, version: 2 });
    // Two tabs both creating the first draft: the second is refused too.
    const fresh = await saveReview(expert(1), at.assignment(1), {
      input: scores(20, 20, 20),
      version: 0,
      mode: "draft",
    });
    expect(fresh).toMatchObject({ ok: true, version: 1 });
    expect(
      await saveReview(expert(1), at.assignment(1), { input: scores(5, 5, 5), version: 0, mode: "draft" }),
    ).toMatchObject({ ok: false, conflict: true });
  });

  it("R-REV-2 / R-REV-3 submitting refuses a deduction without reason and a veto without evidence", async () => {
    const at = await scene();
    await draft(at, 1, scores(20, 20, 20));
    const noReason = await saveReview(expert(1), at.assignment(1), {
      input: scores(25, 35, 25, { deduction: true }),
      version: 1,
      mode: "submit",
    });
    expect(noReason).toMatchObject({ ok: false, status: 400, errors: { deductionReason: ["扣 20 分须填写扣分理由"] } });
    const noEvidence = await saveReview(expert(1), at.assignment(1), {
      input: scores(25, 35, 25, { veto: true }),
      version: 1,
      mode: "submit",
    });
    expect(noEvidence).toMatchObject({
      ok: false,
      status: 400,
      errors: { vetoEvidence: ["一票否决须指明雷同或抄袭的依据"] },
    });
    expect(await prisma.review.findUniqueOrThrow({ where: { assignmentId: at.assignment(1) } })).toMatchObject({
      status: "draft",
      deduction: false,
    });
  });

  it("R-REV-5 a submitted review is final: on the record, and read-only for the expert", async () => {
    const at = await scene();
    await draft(at, 0, scores(26, 30, 20));
    const submittedReview = await saveReview(expert(0), at.assignment(0), {
      input: scores(26, 30, 20),
      version: 1,
      mode: "submit",
    });
    expect(submittedReview).toMatchObject({ ok: true, status: "submitted", version: 2 });
    const again = await saveReview(expert(0), at.assignment(0), {
      input: scores(30, 40, 30),
      version: 2,
      mode: "draft",
    });
    expect(again).toMatchObject({ ok: false, status: 409 });
    const review = await prisma.review.findUniqueOrThrow({ where: { assignmentId: at.assignment(0) } });
    const audit = await prisma.auditEntry.findFirstOrThrow({
      where: { action: "review.submit", entityId: review.id, actorId: expert(0).id },
    });
    expect(audit.after).toMatchObject({ basicsHalfPoints: 52, status: "submitted" });
  });

  it("results cannot be confirmed while a review is missing (a chosen application refuses)", async () => {
    const at = await scene();
    await submitted(at, 0, scores(26, 30, 20));
    const outcome = await confirmResults(staff, at.roundId, { all: false, applicationIds: [at.applicationId] });
    expect(outcome).toMatchObject({ ok: false });
    expect(outcome.ok ? "" : outcome.message).toContain("尚有专家未提交评分");
  });

  it("R-REV-5 after the review deadline nothing is saved and the draft is kept", async () => {
    const at = await scene();
    await draft(at, 1, scores(20, 20, 20));
    await prisma.round.update({ where: { id: at.roundId }, data: { reviewDeadline: new Date(Date.now() - 1000) } });
    const late = await saveReview(expert(1), at.assignment(1), { input: scores(1, 1, 1), version: 1, mode: "draft" });
    expect(late).toMatchObject({ ok: false, status: 409 });
    expect(late.ok ? "" : late.message).toContain("截止");
    expect(await prisma.review.findUniqueOrThrow({ where: { assignmentId: at.assignment(1) } })).toMatchObject({
      basicsHalfPoints: 40,
      version: 1,
    });
  });

  it("R-REV-5 staff reopen a submitted review with a reason, on the record; the expert corrects and resubmits", async () => {
    const at = await scene();
    await submitted(at, 0, scores(26, 30, 20));
    const reopened = await reopenReview(
      staff,
      (await prisma.review.findUniqueOrThrow({ where: { assignmentId: at.assignment(0) } })).id,
      "基本情况评分与评语不一致",
    );
    expect(reopened).toEqual({ ok: true });
    const review = await prisma.review.findUniqueOrThrow({ where: { assignmentId: at.assignment(0) } });
    expect(review).toMatchObject({
      status: "draft",
      submittedAt: null,
      reopenReason: "基本情况评分与评语不一致",
      version: 3,
    });
    const audit = await prisma.auditEntry.findFirstOrThrow({ where: { action: "review.reopen", entityId: review.id } });
    expect(audit).toMatchObject({ actorId: staff.id, reason: "基本情况评分与评语不一致" });
    expect(audit.before).toMatchObject({ status: "submitted", basicsHalfPoints: 52 });
    const application = await prisma.application.findUniqueOrThrow({ where: { id: at.applicationId } });
    const mail = await prisma.outboxMessage.findFirstOrThrow({
      where: {
        to: expert(0).email,
        subject: { contains: "评分退回修改" },
        text: { contains: application.number },
      },
    });
    expect(mail.text).toContain("退回原因：基本情况评分与评语不一致");
    expect(
      await saveReview(expert(0), at.assignment(0), { input: scores(20, 30, 20), version: 3, mode: "submit" }),
    ).toMatchObject({ ok: true, status: "submitted" });
  });

  it("R-REV-4 / R-LOG-1 confirming freezes the result, moves the status, and mails each provider once without expert names", async () => {
    const at = await scene();
    const { applicationId, secondApplicationId, provider } = at;
    await submitted(at, 0, scores(20, 30, 20));
    await submitted(at, 1, scores(30, 40, 30, { deduction: true, deductionReason: "推销自有MES系统" }));
    await submitted(at, 2, scores(20, 25, 15));
    expect(await confirmNoConflict(expert(0), at.secondAssignmentId)).toEqual({ ok: true });
    expect(
      await saveReview(expert(0), at.secondAssignmentId, {
        input: scores(10, 20, 10, { materialsComplete: false, materialsNote: "缺少M6发票" }),
        version: 0,
        mode: "submit",
      }),
    ).toMatchObject({ ok: true });

    const result = await getApplicationResult(applicationId);
    // Totals 70, 80 (100 − 20) and 60: mean 70, spread 20 (not flagged: only more than 20 is).
    expect(result?.result.decision).toMatchObject({
      finalScore: 70,
      passed: true,
      totals: [70, 80, 60],
      spread: 20,
      spreadFlag: false,
    });

    const mailsBefore = await prisma.outboxMessage.count();
    const outcome = await confirmResults(staff, at.roundId, { all: true });
    expect(outcome).toEqual({ ok: true, confirmed: 2, skipped: 0, copyBlocked: [], mails: 1 });
    const [first, other] = await Promise.all([
      prisma.application.findUniqueOrThrow({ where: { id: applicationId } }),
      prisma.application.findUniqueOrThrow({ where: { id: secondApplicationId } }),
    ]);
    expect(first).toMatchObject({
      status: "passed",
      resultPassed: true,
      finalScoreHundredths: 7000,
      resultConfirmedById: staff.id,
    });
    expect(first.resultReasons).toEqual([
      "扣分：1 位评审专家认定报告借机推销自身产品和解决方案，各扣 20 分（推销自有MES系统）",
    ]);
    expect(other).toMatchObject({ status: "failed", resultPassed: false, finalScoreHundredths: 4000 });
    expect(
      await prisma.auditEntry.count({
        where: { action: "application.confirm_result", entityId: { in: [applicationId, secondApplicationId] } },
      }),
    ).toBe(2);

    const mails = await prisma.outboxMessage.findMany({ orderBy: { createdAt: "asc" }, skip: mailsBefore });
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect(mail?.to).toBe(provider.email);
    expect(mail?.text).toContain(`${first.number}`);
    expect(mail?.text).toContain(`${other.number}`);
    expect(mail?.text).toContain("评审结果：合格　最终得分：70.00 分");
    expect(mail?.text).toContain("材料不全（缺少 1 项即列为不合格）：缺少M6发票");
    for (const name of [...experts.map((e) => e.name), outsider.name]) expect(mail?.text).not.toContain(name);

    // Frozen: no second confirmation, no second e-mail, no reopening, no more scoring.
    expect(await confirmResults(staff, at.roundId, { all: true })).toMatchObject({ ok: false });
    expect(await prisma.outboxMessage.count()).toBe(mailsBefore + 1);
    const frozenReview = await prisma.review.findUniqueOrThrow({ where: { assignmentId: at.assignment(2) } });
    expect(await reopenReview(staff, frozenReview.id, "再看一下")).toMatchObject({ ok: false });

    const own = await listOwnConfirmedResults(provider.organisation.id);
    expect(own.map((r) => r.result)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ passed: true, finalScore: "70.00" }),
        expect.objectContaining({ passed: false, finalScore: "40.00" }),
      ]),
    );
    expect(JSON.stringify(own)).not.toMatch(/专家[甲乙丙丁]|[甲乙丙丁]专家/);
  });

  it("R-REV-5 declaring a conflict withdraws the assignment, records the conflict, and hands it back to staff", async () => {
    const { round, roundId, provider } = await scene();
    const application = await createApplication(prisma, {
      roundId,
      organisationId: provider.organisation.id,
      createdById: provider.user.id,
      store,
      status: "under_review",
      enterpriseId: round.enterprises[2]?.id ?? "",
    });
    const assigned = await assignExpert(prisma, {
      applicationId: application.id,
      expertId: outsider.id,
      assignedById: staff.id,
    });
    const outcome = await declareConflict(outsider, assigned.id, {
      kind: "provider",
      reason: "近三年曾为该服务商提供咨询",
    });
    expect(outcome).toEqual({ ok: true });
    expect(await prisma.expertAssignment.findUniqueOrThrow({ where: { id: assigned.id } })).toMatchObject({
      withdrawnReason: expect.stringContaining("近三年曾为该服务商提供咨询"),
    });
    expect(
      await prisma.expertConflict.findFirst({
        where: { expertId: outsider.id, kind: "provider", partyName: provider.organisation.name, declaredBy: "expert" },
      }),
    ).not.toBeNull();
    expect(
      await prisma.auditEntry.count({ where: { action: "assignment.declare_conflict", entityId: assigned.id } }),
    ).toBe(1);
    const handBack = await prisma.outboxMessage.findFirstOrThrow({
      where: { subject: { contains: `请重新分配 ${application.number}` } },
    });
    expect(handBack.to).toBe((await prisma.user.findUniqueOrThrow({ where: { id: staff.id } })).email);
    expect(await getOwnAssignment(outsider.id, assigned.id)).toBeNull();
    expect((await listOwnAssignments(outsider.id)).map((a) => a.id)).not.toContain(assigned.id);
  });
});

function sessionUser(user: { id: string; roles: readonly ("expert" | "staff" | "provider")[] }): SessionUser {
  return {
    id: user.id,
    name: "",
    email: "",
    roles: [...user.roles],
    status: "active",
    isDemo: false,
    organisation: null,
  };
}
