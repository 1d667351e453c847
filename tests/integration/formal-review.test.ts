/**
 * The bureau's desk against both real databases: formal review decisions with their verdicts, notice,
 * audit entry and mail in one transaction (R-MAT-1, R-MAT-2, R-LOG-1); the supplement loop (一次性告知,
 * only the named materials, resubmission); paper copies (R-MAT-3); and two officers deciding at the same
 * moment: one outcome, one message, one e-mail.
 */
import path from "node:path";
import { Readable } from "node:stream";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Verdict } from "~/domain/formal-review.ts";
import { MATERIAL_IDS } from "~/domain/materials.ts";
import { attachMaterial, NotEditableError, resubmitApplication } from "~/models/application.server.ts";
import {
  CONCURRENT_CHANGE_MESSAGE,
  decideFormalReview,
  recordPaperCopies,
  staffApplicationView,
} from "~/models/formal-review.server.ts";
import { saveUpload } from "~/models/stored-file.server.ts";
import { FolderStore } from "~/services/storage.server.ts";
import { closeDatabase, type Db } from "~/utils/db.server.ts";

import { makePdf } from "../utils/files.ts";
import { createApplication, createProvider, createRound, createUser } from "../utils/scenario.ts";
import { useFreshDatabase, VARIANTS } from "../utils/test-database.ts";

const allAccepted: Verdict[] = MATERIAL_IDS.map((material) => ({ material, verdict: "accepted", reason: null }));
const rejecting = (material: (typeof MATERIAL_IDS)[number], reason: string): Verdict[] =>
  allAccepted.map((v) => (v.material === material ? { material, verdict: "rejected", reason } : v));
const dueOn = "2099-01-09";

describe.each(VARIANTS)("formal review on %s", (variant) => {
  let prisma: Db;
  let store: FolderStore;
  let round: Awaited<ReturnType<typeof createRound>>;
  let provider: Awaited<ReturnType<typeof createProvider>>;
  let staffA: { id: string; name: string };
  let staffB: { id: string; name: string };
  let scope: { userId: string; userName: string; organisationId: string };

  beforeAll(async () => {
    const fresh = await useFreshDatabase(variant);
    prisma = fresh.prisma;
    process.env.DATA_DIR = fresh.dataDir;
    store = new FolderStore(path.join(fresh.dataDir, "files"));
    round = await createRound(prisma);
    provider = await createProvider(prisma);
    const a = await createUser(prisma, ["staff"], { name: "审查员甲" });
    const b = await createUser(prisma, ["staff"], { name: "审查员乙" });
    staffA = { id: a.user.id, name: a.user.name };
    staffB = { id: b.user.id, name: b.user.name };
    scope = { userId: provider.user.id, userName: provider.user.name, organisationId: provider.organisation.id };
  });
  afterAll(async () => {
    await closeDatabase();
  });

  let enterpriseIndex = 0;
  async function submitted() {
    const enterprise = round.enterprises[enterpriseIndex++];
    if (!enterprise) throw new Error("no enterprise left");
    return createApplication(prisma, {
      roundId: round.id,
      enterpriseId: enterprise.id,
      organisationId: provider.organisation.id,
      createdById: provider.user.id,
      store,
    });
  }
  const mailsFor = (number: string) =>
    prisma.outboxMessage.findMany({
      where: { to: provider.email, subject: { contains: number } },
      orderBy: { createdAt: "asc" },
    });
  async function newPdf(name: string) {
    const file = await saveUpload({
      body: Readable.from([await makePdf(name)]),
      fileName: name,
      purpose: "materials",
      uploadedById: provider.user.id,
    });
    return file.id;
  }

  it("R-LOG-1 two officers accepting and returning the same application at the same moment: one outcome, one message, one e-mail", async () => {
    const application = await submitted();
    const outcomes = await Promise.all([
      decideFormalReview(staffA, application.id, { decision: "accept", version: 0, verdicts: allAccepted }),
      decideFormalReview(staffB, application.id, {
        decision: "return",
        version: 0,
        verdicts: rejecting("M2", "缺少公章"),
        dueOn,
        note: null,
      }),
    ]);
    const won = outcomes.filter((o) => o.ok);
    const lost = outcomes.filter((o) => !o.ok);
    expect(won).toHaveLength(1);
    expect(lost).toEqual([{ ok: false, field: "form", message: CONCURRENT_CHANGE_MESSAGE }]);
    const after = await prisma.application.findUniqueOrThrow({ where: { id: application.id } });
    expect(after.version).toBe(1);
    expect(["accepted", "returned"]).toContain(after.status);
    expect(await mailsFor(application.number)).toHaveLength(1);
    const decisions = await prisma.auditEntry.findMany({
      where: { entityId: application.id, action: { startsWith: "application." } },
    });
    expect(decisions).toHaveLength(1);
    // The verdicts written are those of the decision that stood, once.
    expect(await prisma.materialReview.count({ where: { applicationId: application.id } })).toBe(9);
    expect(await prisma.supplementNotice.count({ where: { applicationId: application.id } })).toBe(
      after.status === "returned" ? 1 : 0,
    );
  });

  it("R-MAT-1 a return lists every rejection once; the provider may replace only those, then resubmit; 一次性告知 holds in the next cycle", async () => {
    const application = await submitted();
    // Bad input: a rejection without its reason, a deadline in the past.
    expect(
      await decideFormalReview(staffA, application.id, {
        decision: "return",
        version: 0,
        verdicts: rejecting("M2", " "),
        dueOn,
        note: null,
      }),
    ).toMatchObject({
      ok: false,
      field: "reason",
      material: "M2",
    });
    expect(
      await decideFormalReview(staffA, application.id, {
        decision: "return",
        version: 0,
        verdicts: rejecting("M2", "缺少公章"),
        dueOn: "2020-01-01",
        note: null,
      }),
    ).toMatchObject({
      ok: false,
      field: "dueAt",
    });
    const verdicts = rejecting("M2", "缺少公章").map((v): Verdict =>
      v.material === "M8" ? { material: "M8", verdict: "rejected", reason: "无法辨认" } : v,
    );
    expect(
      await decideFormalReview(staffA, application.id, {
        decision: "return",
        version: 0,
        verdicts,
        dueOn,
        note: "请加盖公章后扫描",
      }),
    ).toEqual({ ok: true, status: "returned" });
    const notice = await prisma.supplementNotice.findUniqueOrThrow({
      where: { applicationId_cycle: { applicationId: application.id, cycle: 1 } },
    });
    expect(notice.items).toEqual([
      { material: "M2", reason: "缺少公章" },
      { material: "M8", reason: "无法辨认" },
      { material: "general", reason: "请加盖公章后扫描" },
    ]);
    const [mail] = await mailsFor(application.number);
    expect(mail?.text).toContain("1. M2 被诊断企业营业执照复印件：缺少公章");
    expect(mail?.text).toContain("2. M8 诊断报告原件：无法辨认");

    // Only the named materials, with a clear message otherwise; not resubmittable before replacing both.
    await expect(attachMaterial(scope, application.id, "M4", await newPdf("问卷.pdf"), null)).rejects.toThrow(
      NotEditableError,
    );
    await expect(attachMaterial(scope, application.id, "M4", await newPdf("问卷.pdf"), null)).rejects.toThrow(
      /只能更换补正通知列出的材料/,
    );
    await attachMaterial(scope, application.id, "M2", await newPdf("执照-盖章.pdf"), null);
    expect(await resubmitApplication(scope, application.id)).toEqual({
      ok: false,
      message: expect.stringContaining("M8"),
    });
    await attachMaterial(scope, application.id, "M8", await newPdf("报告-清晰.pdf"), null);
    expect(await resubmitApplication(scope, application.id)).toEqual({ ok: true });
    const resubmitted = await prisma.application.findUniqueOrThrow({ where: { id: application.id } });
    expect(resubmitted).toMatchObject({ status: "submitted", reviewCycle: 2, version: 2 });
    // The old files are kept (marked removed) beside the new ones.
    const m2 = await prisma.applicationMaterial.findMany({
      where: { applicationId: application.id, material: "M2" },
      include: { file: true },
      orderBy: { createdAt: "asc" },
    });
    expect(m2.map((r) => [r.file.fileName, r.removedAt !== null])).toEqual([
      ["M2.pdf", true],
      ["执照-盖章.pdf", false],
    ]);

    // 一次性告知: M4 was accepted in cycle 1 and cannot be named now; the replaced files are judged.
    const cycle2: Verdict[] = [
      { material: "M2", verdict: "accepted", reason: null },
      { material: "M8", verdict: "accepted", reason: null },
      { material: "M4", verdict: "rejected", reason: "文件错误" },
    ];
    expect(
      await decideFormalReview(staffB, application.id, {
        decision: "return",
        version: 2,
        verdicts: cycle2,
        dueOn,
        note: null,
      }),
    ).toMatchObject({
      ok: false,
      material: "M4",
      message: expect.stringContaining("一次性告知"),
    });
    expect(
      await decideFormalReview(staffB, application.id, {
        decision: "accept",
        version: 2,
        verdicts: cycle2.slice(0, 2),
      }),
    ).toEqual({ ok: true, status: "accepted" });
    // An accepted application cannot be changed at all.
    await expect(attachMaterial(scope, application.id, "M2", await newPdf("再换.pdf"), null)).rejects.toThrow(
      /不能再修改/,
    );
    const actions = (
      await prisma.auditEntry.findMany({ where: { entityId: application.id }, orderBy: { id: "asc" } })
    ).map((e) => [e.action, e.actorName]);
    expect(actions).toEqual([
      ["application.return_for_supplement", "审查员甲"],
      ["material.replace", provider.user.name],
      ["material.replace", provider.user.name],
      ["application.resubmit", provider.user.name],
      ["application.accept", "审查员乙"],
    ]);
    // The resubmission is confirmed by mail, queued with it.
    const mails = await mailsFor(application.number);
    expect(mails.map((m) => m.subject)).toEqual([
      expect.stringContaining("请补正材料"),
      expect.stringContaining("补正材料已提交"),
      expect.stringContaining("申报已受理"),
    ]);
    expect(mails[1]?.to).toBe(provider.email);
    // R-LOG-1: the history reads in Chinese and Beijing time, with no raw JSON, ISO time or internal id.
    const view = await staffApplicationView(application.id);
    const changes = (view?.history ?? [])
      .flatMap((entry) => [entry.before, entry.after])
      .filter((text): text is string => text !== null);
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.some((text) => text.includes("状态：已提交"))).toBe(true);
    for (const text of changes) expect(text).not.toMatch(/[{}"]|\d{4}-\d{2}-\d{2}T|\bc[a-z0-9]{20,}\b/);
    expect(mails[1]?.text).toMatch(new RegExp(`https?://\\S+/provider/applications/${application.id}`));
  });

  it("refusal (不予受理) needs a reason, goes on the record and mails the provider; a stale page is told to refresh", async () => {
    const application = await submitted();
    expect(
      await decideFormalReview(staffA, application.id, { decision: "refuse", version: 0, reason: "" }),
    ).toMatchObject({ ok: false, field: "reason" });
    expect(
      await decideFormalReview(staffA, application.id, {
        decision: "refuse",
        version: 0,
        reason: "被诊断企业不是制造业企业",
      }),
    ).toEqual({ ok: true, status: "refused" });
    expect(
      await decideFormalReview(staffB, application.id, { decision: "accept", version: 0, verdicts: allAccepted }),
    ).toMatchObject({ ok: false, message: CONCURRENT_CHANGE_MESSAGE });
    const audit = await prisma.auditEntry.findFirstOrThrow({
      where: { entityId: application.id, action: "application.refuse" },
    });
    expect(audit).toMatchObject({ actorName: "审查员甲", reason: "被诊断企业不是制造业企业" });
    expect(await mailsFor(application.number)).toHaveLength(1);
  });

  it("R-MAT-3 records the paper copies of several applications of one provider at once, refusing bad input", async () => {
    const [one, two] = [await submitted(), await submitted()];
    const ids = [one.id, two.id];
    expect(
      await recordPaperCopies(staffA, {
        applicationIds: ids,
        organisationId: provider.organisation.id,
        receivedOn: "2099-01-01",
        receivedBy: "王",
      }),
    ).toMatchObject({ ok: false, field: "receivedOn" });
    expect(
      await recordPaperCopies(staffA, {
        applicationIds: ids,
        organisationId: provider.organisation.id,
        receivedOn: "2022-12-01",
        receivedBy: " ",
      }),
    ).toMatchObject({ ok: false, field: "receivedBy" });
    const other = await createProvider(prisma);
    expect(
      await recordPaperCopies(staffA, {
        applicationIds: ids,
        organisationId: other.organisation.id,
        receivedOn: "2022-12-01",
        receivedBy: "王",
      }),
    ).toMatchObject({ ok: false, field: "applicationIds" });
    expect(
      await recordPaperCopies(staffA, {
        applicationIds: ids,
        organisationId: provider.organisation.id,
        receivedOn: "2022-12-01",
        receivedBy: "王科员",
      }),
    ).toEqual({ ok: true, count: 2 });
    const rows = await prisma.application.findMany({
      where: { id: { in: ids } },
      select: { paperCopiesReceivedOn: true, paperCopiesReceivedBy: true },
    });
    expect(rows).toEqual([
      { paperCopiesReceivedOn: "2022-12-01", paperCopiesReceivedBy: "王科员" },
      { paperCopiesReceivedOn: "2022-12-01", paperCopiesReceivedBy: "王科员" },
    ]);
    expect(
      await prisma.auditEntry.count({ where: { entityId: { in: ids }, action: "application.paper_copies" } }),
    ).toBe(2);
  });
});
