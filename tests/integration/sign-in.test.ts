/**
 * Sign-in on both databases: the redirect target stays on the portal, failures are counted atomically
 * (40 parallel guesses check at most the limit), a lockout is lifted by an e-mailed single-use,
 * time-limited link, and staff, approvers and administrators are told by mail when they are locked.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { attemptLogin, MAX_FAILURES_PER_ACCOUNT, requestPasswordReset, resetPassword } from "~/models/user.server.ts";
import { action as forgotAction } from "~/routes/forgot-password.tsx";
import { action as loginAction } from "~/routes/login.tsx";
import { closeDatabase, type Db } from "~/utils/db.server.ts";

import { postRequest, settle } from "../utils/http.ts";
import { createProvider, createUser, SCENARIO_PASSWORD } from "../utils/scenario.ts";
import { useFreshDatabase, VARIANTS } from "../utils/test-database.ts";

const WRONG = "不是这个密码1";

describe.each(VARIANTS)("sign-in on %s", (variant) => {
  let prisma: Db;
  beforeAll(async () => {
    ({ prisma } = await useFreshDatabase(variant));
  });
  afterAll(async () => {
    await closeDatabase();
  });

  const linkIn = (text: string) => /\/reset-password\/([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? "";

  it("keeps the redirect target on the portal: a tab or newline in it is refused, never a 500", async () => {
    const { email } = await createUser(prisma, ["staff"]);
    for (const [redirectTo, expected] of [
      ["/\t/evil.example/", "/staff"],
      ["/staff/payouts\n", "/staff"],
      ["//evil.example", "/staff"],
      ["/staff/payouts?x=1", "/staff/payouts?x=1"],
    ] as const) {
      const response = await settle(() =>
        loginAction({
          request: postRequest("/login", { email, password: SCENARIO_PASSWORD, redirectTo }),
          params: {},
          context: {},
        }),
      );
      expect(response.status).toBe(302);
      expect(response.location).toBe(expected);
    }
  });

  it(`counts failures atomically: 40 parallel wrong passwords check at most ${MAX_FAILURES_PER_ACCOUNT}`, async () => {
    const { email } = await createUser(prisma, ["expert"]);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => attemptLogin({ email, password: WRONG, address: `10.0.0.${i}` })),
    );
    const checked = results.filter((r) => !r.ok && r.message === "邮箱或密码不正确。").length;
    const refused = results.filter((r) => !r.ok && r.message.includes("失败次数过多")).length;
    console.log(`parallel wrong passwords on ${variant}: checked=${checked} refused_unchecked=${refused}`);
    expect(checked).toBeLessThanOrEqual(MAX_FAILURES_PER_ACCOUNT);
    expect(checked + refused).toBe(40);
    // The right password is refused too while locked (it is not even checked).
    expect(await attemptLogin({ email, password: SCENARIO_PASSWORD, address: "10.0.1.1" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("忘记密码"),
    });
  });

  it("tells an approver by mail when locked; the mailed link resets the password once and lifts the lock", async () => {
    const { user, email } = await createUser(prisma, ["approver"]);
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++)
      await attemptLogin({ email, password: WRONG, address: "192.0.2.1" });
    const mails = await prisma.outboxMessage.findMany({ where: { to: email } });
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toContain("暂停登录");
    await attemptLogin({ email, password: WRONG, address: "192.0.2.1" });
    expect(await prisma.outboxMessage.count({ where: { to: email } })).toBe(1);
    const token = linkIn(mails[0]?.text ?? "");
    expect(await resetPassword(token, "NewPassw0rd!")).toEqual({ ok: true, userId: user.id });
    expect(await resetPassword(token, "OtherPassw0rd!")).toEqual({ ok: false });
    expect(await attemptLogin({ email, password: "NewPassw0rd!", address: "192.0.2.1" })).toMatchObject({ ok: true });
    expect(await prisma.auditEntry.count({ where: { action: "user.reset_password", entityId: user.id } })).toBe(1);
  });

  it("sends no lock mail to a provider, but its owner can still reset by 忘记密码", async () => {
    const provider = await createProvider(prisma);
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT + 2; i++)
      await attemptLogin({ email: provider.user.email, password: WRONG, address: "192.0.2.2" });
    expect(await prisma.outboxMessage.count({ where: { to: provider.user.email } })).toBe(0);
    const answered = await settle(() =>
      forgotAction({
        request: postRequest("/forgot-password", { email: provider.user.email }),
        params: {},
        context: {},
      }),
    );
    const unknown = await settle(() =>
      forgotAction({
        request: postRequest("/forgot-password", { email: "nobody@example.test" }),
        params: {},
        context: {},
      }),
    );
    expect(answered).toEqual(unknown);
    const mail = await prisma.outboxMessage.findFirstOrThrow({
      where: { to: provider.user.email, subject: { contains: "重设密码" } },
    });
    expect(await prisma.outboxMessage.count({ where: { to: "nobody@example.test" } })).toBe(0);
    expect(await resetPassword(linkIn(mail.text), "NewPassw0rd!")).toMatchObject({ ok: true });
    expect(
      await attemptLogin({ email: provider.user.email, password: "NewPassw0rd!", address: "192.0.2.2" }),
    ).toMatchObject({ ok: true });
  });

  it("refuses an expired reset link, and mails at most three links a window", async () => {
    const { email } = await createUser(prisma, ["staff"]);
    for (let i = 0; i < 5; i++) await requestPasswordReset({ email });
    const mails = await prisma.outboxMessage.findMany({ where: { to: email, subject: { contains: "重设密码" } } });
    expect(mails).toHaveLength(3);
    const token = linkIn(mails[0]?.text ?? "");
    await prisma.userToken.updateMany({
      where: { user: { email }, purpose: "reset_password" },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await resetPassword(token, "NewPassw0rd!")).toEqual({ ok: false });
  });
});
