/**
 * The foundation against both real databases: registration and its duplicates (R-ELIG-1, R-ELIG-5),
 * verification (R-ELIG-1), the append-only record (R-LOG-1), seeding, and instants across time zones.
 * Each test registers its own provider from the 2022 list (its own name, credit code and e-mail), so it
 * runs alone and in any order.
 */
import { Readable } from "node:stream";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { isValidUscc } from "~/domain/uscc.ts";
import { decideOrganisation, registerProvider, type Registration } from "~/models/organisation.server.ts";
import { saveUpload } from "~/models/stored-file.server.ts";
import { attemptLogin } from "~/models/user.server.ts";
import { closeDatabase, type Db, isUniqueViolation } from "~/utils/db.server.ts";

import { DEMO_ROUND_NAME, ROUND_2022, seed } from "../../seeds/seed.server.ts";
import { makePdf } from "../utils/files.ts";
import { useFreshDatabase, VARIANTS } from "../utils/test-database.ts";

function codeWithCheck(body17: string): string {
  for (const c of "0123456789ABCDEFGHJKLMNPQRTUWXY") if (isValidUscc(body17 + c)) return body17 + c;
  throw new Error("no check character");
}

describe.each(VARIANTS)("foundation on %s", (variant) => {
  let prisma: Db;
  let dataDir: string;

  beforeAll(async () => {
    ({ prisma, dataDir } = await useFreshDatabase(variant));
    process.env.DATA_DIR = dataDir;
    await seed(prisma, { demo: true, dataDir, now: new Date("2026-11-23T02:00:00Z") });
  });
  afterAll(async () => {
    await closeDatabase();
  });

  async function licence() {
    const file = await saveUpload({
      body: Readable.from([await makePdf("营业执照")]),
      fileName: "营业执照.pdf",
      purpose: "licences",
      uploadedById: null,
    });
    return file.id;
  }

  /** Staff of the demo data, who decide registrations. */
  async function demoStaff() {
    const user = await prisma.user.findUniqueOrThrow({ where: { email: "staff@demo.local" } });
    return { id: user.id, name: user.name };
  }

  /** A registration the test makes for itself; it must succeed. */
  async function registered(overrides: Partial<Registration>) {
    const result = await registerProvider(await registration(overrides));
    if (!result.ok) throw new Error(`registration refused: ${result.message}`);
    return result.organisationId;
  }

  async function registration(overrides: Partial<Registration> = {}): Promise<Registration> {
    return {
      organisationName: "山东万群信息技术有限公司",
      uscc: codeWithCheck("91370303MA3C00001"),
      contactName: "樊德海",
      contactPhone: "13853316880",
      email: "wanqun@example.com",
      password: "secret123",
      licenseFileId: await licence(),
      ...overrides,
    };
  }

  it("seeds the 2022 round with 50 enterprises and 36 providers, a demo round and one demo account per role, idempotently", async () => {
    const counts = async () => ({
      rounds: await prisma.round.count(),
      users: await prisma.user.count(),
      organisations: await prisma.organisation.count(),
    });
    const before = await counts();
    await seed(prisma, { demo: true, dataDir, now: new Date("2026-11-24T02:00:00Z") });
    expect(await counts()).toEqual(before);
    const round = await prisma.round.findUniqueOrThrow({
      where: { name: ROUND_2022.name },
      include: { _count: { select: { enterprises: true, providers: true } } },
    });
    expect(round._count).toEqual({ enterprises: 50, providers: 36 });
    // R-DATE-1: the 2022 deadline is the end of 2022-12-20 in Asia/Shanghai.
    expect(round.deadline.toISOString()).toBe("2022-12-20T15:59:59.999Z");
    const demo = await prisma.round.findUniqueOrThrow({ where: { name: DEMO_ROUND_NAME } });
    expect(demo.isDemo).toBe(true);
    expect(demo.deadline.toISOString()).toBe("2026-12-21T15:59:59.999Z");
    expect(await prisma.round.count({ where: { OR: [{ isDemo: true }, { name: ROUND_2022.name }] } })).toBe(2);
    const demoUsers = await prisma.user.findMany({ where: { isDemo: true }, select: { roles: true } });
    expect(demoUsers.flatMap((u) => u.roles).sort()).toEqual(["admin", "approver", "expert", "provider", "staff"]);
  });

  it("R-ELIG-1 registers a listed provider as pending, with its licence, declaration and an audit entry", async () => {
    const result = await registerProvider(await registration());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const org = await prisma.organisation.findUniqueOrThrow({
      where: { id: result.organisationId },
      include: { licenseFile: true },
    });
    expect(org.status).toBe("pending");
    expect(org.licenseFile?.contentType).toBe("application/pdf");
    expect(org.licenseFile?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const audit = await prisma.auditEntry.findMany({ where: { entityId: org.id } });
    expect(audit.map((a) => a.action)).toEqual(["organisation.register"]);
  });

  it("R-ELIG-1 refuses an organisation that is not on any round's provider list", async () => {
    const result = await registerProvider(
      await registration({ organisationName: "不存在的公司", email: "x1@example.com" }),
    );
    expect(result).toEqual({
      ok: false,
      field: "organisationName",
      message: expect.stringContaining("不在服务商名单中"),
    });
  });

  it("R-ELIG-5 refuses a duplicate registration: same organisation, same credit code, same e-mail", async () => {
    const first = {
      organisationName: "山东信茂供应链软件有限公司",
      uscc: codeWithCheck("91370303MA3C00021"),
      email: "xinmao@example.com",
    };
    await registered(first);
    expect(
      await registerProvider(
        await registration({ ...first, email: "other@example.com", uscc: codeWithCheck("91370303MA3C00002") }),
      ),
    ).toMatchObject({
      ok: false,
      field: "organisationName",
    });
    expect(
      await registerProvider(
        await registration({ ...first, organisationName: "山东全晰信息技术有限公司", email: "other@example.com" }),
      ),
    ).toMatchObject({ ok: false, field: "uscc", message: expect.stringContaining(first.organisationName) });
    expect(
      await registerProvider(
        await registration({
          ...first,
          organisationName: "山东全晰信息技术有限公司",
          uscc: codeWithCheck("91370303MA3C00003"),
        }),
      ),
    ).toMatchObject({ ok: false, field: "email" });
  });

  it("R-ELIG-5 two registrations of one organisation at the same moment: exactly one wins, the other gets a message", async () => {
    const base = { organisationName: "山东郎云工业设计有限责任公司" };
    const [a, b] = await Promise.all([
      registerProvider(
        await registration({ ...base, uscc: codeWithCheck("91370303MA3C00011"), email: "a@example.com" }),
      ),
      registerProvider(
        await registration({ ...base, uscc: codeWithCheck("91370303MA3C00012"), email: "b@example.com" }),
      ),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect(await prisma.organisation.count({ where: { name: base.organisationName } })).toBe(1);
  });

  it("a duplicate key is recognised however the driver reports it", async () => {
    const error = await prisma.round
      .create({ data: { name: ROUND_2022.name, code: "X2022", year: 2022, deadline: new Date() } })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(isUniqueViolation(error)).toBe(true);
  });

  it("R-ELIG-1 staff verify once; a second decision gets a message and changes nothing; the provider is mailed", async () => {
    const email = "zhiwu@example.com";
    const org = {
      id: await registered({
        organisationName: "山东智物联网络科技有限公司",
        uscc: codeWithCheck("91370303MA3C00031"),
        email,
      }),
    };
    const staff = await demoStaff();
    expect(await decideOrganisation(staff, org.id, { verdict: "verify" })).toEqual({ ok: true });
    expect(await decideOrganisation(staff, org.id, { verdict: "refuse", reason: "注册地不在张店区" })).toEqual({
      ok: false,
      message: expect.stringContaining("已被其他工作人员处理"),
    });
    const after = await prisma.organisation.findUniqueOrThrow({ where: { id: org.id } });
    expect(after.status).toBe("verified");
    expect(after.registeredInZhangdianConfirmed).toBe(true);
    const mail = await prisma.outboxMessage.findMany({ where: { to: email } });
    expect(mail.map((m) => m.subject)).toEqual([expect.stringContaining("审核通过")]);
    // The mail links to the portal's login page.
    expect(mail[0]?.text).toMatch(/https?:\/\/\S+\/login/);
  });

  it("login is rate-limited per account: after five failures even the right password waits", async () => {
    const account = { email: "haizhi@example.com", address: "198.51.100.7" };
    const organisationId = await registered({
      organisationName: "海智造物联科技有限公司",
      uscc: codeWithCheck("91370303MA3C00041"),
      email: account.email,
    });
    expect(await decideOrganisation(await demoStaff(), organisationId, { verdict: "verify" })).toEqual({ ok: true });
    expect(await attemptLogin({ ...account, password: "secret123" })).toMatchObject({ ok: true });
    for (let i = 0; i < 5; i++) {
      expect(await attemptLogin({ ...account, password: "wrong" })).toEqual({
        ok: false,
        field: "password",
        message: "邮箱或密码不正确。",
      });
    }
    expect(await attemptLogin({ ...account, password: "secret123" })).toEqual({
      ok: false,
      message: "该账号登录失败次数过多，已暂停登录，请 15 分钟后再试，或通过“忘记密码”重设密码后立即登录。",
    });
    // Another account from another address is not affected.
    expect(await attemptLogin({ email: "staff@demo.local", password: "wrong", address: "198.51.100.8" })).toMatchObject(
      { ok: false, field: "password" },
    );
  });

  it("R-LOG-1 the audit record is append-only: the database refuses updates and deletes", async () => {
    const entry = await prisma.auditEntry.findFirstOrThrow();
    await expect(prisma.auditEntry.update({ where: { id: entry.id }, data: { action: "forged" } })).rejects.toThrow();
    await expect(prisma.auditEntry.deleteMany({})).rejects.toThrow();
    await expect(prisma.$executeRawUnsafe('TRUNCATE "AuditEntry"')).rejects.toThrow();
    expect(await prisma.auditEntry.count()).toBeGreaterThan(0);
  });

  it("R-DATE-1 stores instants exactly, whatever the process time zone", async () => {
    const instant = new Date("2022-12-20T15:59:59.999Z");
    const zones = ["UTC", "Asia/Shanghai", "America/Los_Angeles"];
    for (const zone of zones) {
      process.env.TZ = zone;
      const round = await prisma.round.create({
        data: { name: `tz-${zone}`, code: `TZ-${zones.indexOf(zone)}`, year: 2022, deadline: instant },
      });
      const back = await prisma.round.findUniqueOrThrow({ where: { id: round.id } });
      expect(back.deadline.toISOString()).toBe(instant.toISOString());
    }
    process.env.TZ = "UTC";
  });
});
