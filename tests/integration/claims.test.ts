/**
 * R-ELIG-4 on both real databases: a draft holds its enterprise for the round; the provider can
 * withdraw it, staff can release it with a reason; either way the enterprise is free again and the
 * draft stays on the record (R-LOG-1), and a released provider is mailed. Submitted applications are
 * not released this way.
 */
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createApplication as fileApplication, releaseClaim, withdrawDraft } from "~/models/application.server.ts";
import { FolderStore } from "~/services/storage.server.ts";
import { closeDatabase, type Db } from "~/utils/db.server.ts";

import {
  createApplication,
  createProvider,
  createRound,
  createUser,
  fakeUscc,
  putOnProviderList,
} from "../utils/scenario.ts";
import { useFreshDatabase, VARIANTS } from "../utils/test-database.ts";

describe.each(VARIANTS)("claims on an enterprise on %s", (variant) => {
  let prisma: Db;
  let store: FolderStore;
  beforeAll(async () => {
    let dataDir: string;
    ({ prisma, dataDir } = await useFreshDatabase(variant));
    process.env.DATA_DIR = dataDir;
    store = new FolderStore(path.join(dataDir, "files"));
  });
  afterAll(async () => {
    await closeDatabase();
  });

  const scopeOf = (p: Awaited<ReturnType<typeof createProvider>>) => ({
    userId: p.user.id,
    userName: p.user.name,
    organisationId: p.organisation.id,
  });
  const data = () => ({
    enterpriseUscc: fakeUscc(),
    reportTitle: "智能化改造评估诊断报告",
    contractAmountFen: 1_200_000,
    contractSignedOn: "2022-09-01",
    diagnosisCompletedOn: "2022-09-20",
  });

  it("R-ELIG-4 a provider withdraws its draft: the enterprise is free for another provider, the draft stays on the record", async () => {
    const round = await createRound(prisma);
    const [a, b, c] = [await createProvider(prisma), await createProvider(prisma), await createProvider(prisma)];
    for (const p of [a, b, c]) await putOnProviderList(prisma, round.id, p.organisation.id);
    const enterprise = round.enterprises[0];
    if (!enterprise) throw new Error("scenario");
    const draft = await createApplication(prisma, {
      roundId: round.id,
      enterpriseId: enterprise.id,
      organisationId: a.organisation.id,
      createdById: a.user.id,
      store,
      status: "draft",
    });
    const claim = { roundId: round.id, enterpriseId: enterprise.id };
    expect(await fileApplication(scopeOf(b), { ...claim, ...data() })).toMatchObject({
      ok: false,
      field: "enterpriseId",
    });

    // Another provider cannot withdraw it.
    expect(await withdrawDraft(scopeOf(c), draft.id)).toEqual({ ok: false, message: "申报不存在。" });
    expect(await withdrawDraft(scopeOf(a), draft.id)).toEqual({ ok: true, number: draft.number });
    expect(await prisma.application.findUnique({ where: { id: draft.id } })).toBeNull();
    const [entry] = await prisma.auditEntry.findMany({ where: { entityId: draft.id, action: "application.withdraw" } });
    expect(entry).toMatchObject({ actorName: a.user.name, reason: "服务商撤回草稿" });
    expect(entry?.before).toMatchObject({
      number: draft.number,
      status: "draft",
      enterprise: enterprise.name,
      organisation: a.organisation.name,
    });
    expect(entry?.before).toMatchObject({
      materials: expect.arrayContaining([expect.objectContaining({ material: "M8" })]),
    });

    expect(await fileApplication(scopeOf(b), { ...claim, ...data() })).toMatchObject({ ok: true });
  });

  it("R-ELIG-4 staff release a draft's claim with a reason, recorded and mailed; a submitted application is not released", async () => {
    const round = await createRound(prisma);
    const [a, b] = [await createProvider(prisma), await createProvider(prisma)];
    for (const p of [a, b]) await putOnProviderList(prisma, round.id, p.organisation.id);
    const staff = (await createUser(prisma, ["staff"])).user;
    const [first, second] = round.enterprises;
    if (!first || !second) throw new Error("scenario");
    const draft = await createApplication(prisma, {
      roundId: round.id,
      enterpriseId: first.id,
      organisationId: a.organisation.id,
      createdById: a.user.id,
      store,
      status: "draft",
    });
    const submitted = await createApplication(prisma, {
      roundId: round.id,
      enterpriseId: second.id,
      organisationId: a.organisation.id,
      createdById: a.user.id,
      store,
    });
    const actor = { id: staff.id, name: staff.name };

    expect(await releaseClaim(actor, draft.id, " ")).toEqual({ ok: false, message: "请填写释放原因（至少 2 个字）。" });
    expect(await releaseClaim(actor, submitted.id, "服务商要求撤销")).toEqual({
      ok: false,
      message: expect.stringContaining("只有草稿可以撤回或释放"),
    });
    expect(await withdrawDraft(scopeOf(a), submitted.id)).toMatchObject({ ok: false });
    expect(await prisma.application.count({ where: { id: submitted.id } })).toBe(1);

    expect(await releaseClaim(actor, draft.id, "服务商已停止为该企业服务")).toEqual({ ok: true, number: draft.number });
    const [entry] = await prisma.auditEntry.findMany({
      where: { entityId: draft.id, action: "application.release_claim" },
    });
    expect(entry).toMatchObject({ actorName: staff.name, reason: "服务商已停止为该企业服务" });
    const mail = await prisma.outboxMessage.findMany({ where: { to: a.email, subject: { contains: draft.number } } });
    expect(mail.map((m) => m.subject)).toEqual([expect.stringContaining("已由区工信局释放")]);
    expect(mail[0]?.text).toContain("原因：服务商已停止为该企业服务");
    expect(await fileApplication(scopeOf(b), { roundId: round.id, enterpriseId: first.id, ...data() })).toMatchObject({
      ok: true,
    });
  });
});
