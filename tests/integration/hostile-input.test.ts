/**
 * Hostile values in form fields (issue 13): control characters, NUL, a 10 KB paste, bidirectional
 * controls, zero-width characters, tabs and newlines, full-width digits. Through the real route actions
 * and database: never a 500, and a Chinese message at the field that caused it (full-width digits are
 * read as digits, so they may pass).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { action as adminUsersAction } from "~/routes/admin.users.tsx";
import { action as forgotAction } from "~/routes/forgot-password.tsx";
import { action as loginAction } from "~/routes/login.tsx";
import { action as newApplicationAction } from "~/routes/provider.applications.new.tsx";
import { action as registerAction } from "~/routes/register.tsx";
import { action as expertPoolAction } from "~/routes/staff.experts._index.tsx";
import { action as batchAction } from "~/routes/staff.payouts.$batchId.tsx";
import { closeDatabase, type Db } from "~/utils/db.server.ts";
import { phoneField, textField } from "~/utils/form-fields.ts";

import { ORIGIN, postRequest, sessionCookie, settle } from "../utils/http.ts";
import { createProvider, createRound, createUser } from "../utils/scenario.ts";
import { useFreshDatabase } from "../utils/test-database.ts";

const HOSTILE: [string, string][] = [
  ["NUL", "张\u0000三公司"],
  ["a control character", "张三\u0007公司"],
  ["a 10 KB paste", "长".repeat(10_240)],
  ["a right-to-left override", "报告\u202Efdp.exe"],
  ["a zero-width space", "张\u200B三公司"],
  ["a tab and a newline", "张三\t公司\n第二行"],
];
const FULL_WIDTH = "１２３４５６７８９０";
const CHINESE = /[\u4e00-\u9fff]/;

type Reply = { error?: Record<string, string[] | null> } | undefined;
function fieldErrors(body: unknown): Record<string, string[] | null> {
  const reply: Reply =
    body && typeof body === "object" && "result" in body ? (Reflect.get(body, "result") as Reply) : (body as Reply);
  return reply?.error ?? {};
}

describe("hostile values in fields", () => {
  let prisma: Db;
  let adminCookie: string;
  let providerCookie: string;
  let staffCookie: string;
  let enterpriseId: string;

  beforeAll(async () => {
    const fresh = await useFreshDatabase("pglite");
    prisma = fresh.prisma;
    process.env.DATA_DIR = fresh.dataDir;
    const round = await createRound(prisma);
    enterpriseId = round.enterprises[0]?.id ?? "";
    adminCookie = await sessionCookie((await createUser(prisma, ["admin"])).user.id);
    staffCookie = await sessionCookie((await createUser(prisma, ["staff"])).user.id);
    providerCookie = await sessionCookie((await createProvider(prisma)).user.id);
  });
  afterAll(async () => {
    await closeDatabase();
  });

  async function expectFieldMessage(run: () => Promise<unknown>, field: string, label: string) {
    const result = await settle(run);
    expect(result.status, `${label}: status`).toBeGreaterThanOrEqual(400);
    expect(result.status, `${label}: status`).toBeLessThan(500);
    const messages = fieldErrors(result.body)[field] ?? [];
    expect(messages.length, `${label}: a message at ${field}`).toBeGreaterThan(0);
    expect(messages[0], `${label}: in Chinese`).toMatch(CHINESE);
  }

  it.each(HOSTILE)("the administrator's invitation refuses %s in the name, at the field", async (label, value) => {
    await expectFieldMessage(
      () =>
        adminUsersAction({
          request: postRequest(
            "/admin/users",
            { intent: "invite", name: value, email: "h@example.test", roles: "expert" },
            adminCookie,
          ),
          params: {},
          context: {},
        }),
      "name",
      label,
    );
  });

  it.each(HOSTILE)("a new application refuses %s in the report title, at the field", async (label, value) => {
    const fields = {
      enterpriseId,
      eligibility: "on",
      enterpriseUscc: "91370303MA3C5TEST1",
      reportTitle: value,
      contractAmount: "10000",
      contractSignedOn: "2022-09-01",
      diagnosisCompletedOn: "2022-09-20",
    };
    await expectFieldMessage(
      () =>
        newApplicationAction({
          request: postRequest("/provider/applications/new", fields, providerCookie),
          params: {},
          context: {},
        }),
      "reportTitle",
      label,
    );
  });

  it.each(HOSTILE)("a new application refuses %s in the amount and dates, never a 500", async (label, value) => {
    const fields = {
      enterpriseId,
      enterpriseUscc: value,
      reportTitle: "诊断报告",
      contractAmount: value,
      contractSignedOn: value,
      diagnosisCompletedOn: value,
    };
    for (const field of ["contractAmount", "contractSignedOn", "enterpriseUscc"]) {
      await expectFieldMessage(
        () =>
          newApplicationAction({
            request: postRequest("/provider/applications/new", fields, providerCookie),
            params: {},
            context: {},
          }),
        field,
        `${label} in ${field}`,
      );
    }
  });

  it.each(HOSTILE)("registration refuses %s in the contact name, at the field", async (label, value) => {
    const form = new FormData();
    for (const [k, v] of Object.entries({
      organisationName: "某服务商",
      uscc: "91370303MA3C5TEST1",
      contactName: value,
      contactPhone: "13800000000",
      email: "r@example.test",
      password: "Passw0rd!",
      confirmPassword: "Passw0rd!",
    }))
      form.set(k, v);
    const request = new Request(`${ORIGIN}/register`, { method: "POST", body: form, headers: { Origin: ORIGIN } });
    await expectFieldMessage(() => registerAction({ request, params: {}, context: {} }), "contactName", label);
  });

  it.each(HOSTILE)("sign-in and 忘记密码 answer %s in the e-mail with a message, never a 500", async (label, value) => {
    await expectFieldMessage(
      () => loginAction({ request: postRequest("/login", { email: value, password: value }), params: {}, context: {} }),
      "email",
      label,
    );
    await expectFieldMessage(
      () => forgotAction({ request: postRequest("/forgot-password", { email: value }), params: {}, context: {} }),
      "email",
      label,
    );
  });

  it.each(HOSTILE)(
    "staff forms refuse %s in a name or a reason, at the field (NUL would otherwise fail in PostgreSQL)",
    async (label, value) => {
      await expectFieldMessage(
        () =>
          expertPoolAction({
            request: postRequest(
              "/staff/experts",
              { name: value, email: "e@example.test", field: "智能制造", organisationName: "某高校" },
              staffCookie,
            ),
            params: {},
            context: {},
          }),
        "name",
        label,
      );
      if (label === "a tab and a newline") return; // a reason may span lines
      const result = await settle(() =>
        batchAction({
          request: postRequest(
            "/staff/payouts/no-such-batch",
            { intent: "return", version: "0", reason: value },
            staffCookie,
          ),
          params: { batchId: "no-such-batch" },
          context: {},
        }),
      );
      expect(result.status).toBe(400);
      const reason = Reflect.get(Object(Reflect.get(Object(result.body), "fieldErrors")), "reason") as
        string[] | undefined;
      expect(reason?.[0]).toMatch(CHINESE);
    },
  );

  it("an empty or hostile concurrency version is refused with a message, never read as 0", async () => {
    for (const version of ["", "abc", "1.5", "-1", FULL_WIDTH, "9".repeat(40)]) {
      const result = await settle(() =>
        batchAction({
          request: postRequest(
            "/staff/payouts/no-such-batch",
            { intent: "paid", version, paidOn: "2022-12-19", voucherRef: "PZ-1" },
            staffCookie,
          ),
          params: { batchId: "no-such-batch" },
          context: {},
        }),
      );
      expect(result.status, `version "${version.slice(0, 10)}"`).toBe(400);
      expect(Reflect.get(Object(result.body), "message")).toMatch(/版本号/);
    }
  });

  it("reads full-width digits as digits (a phone number typed with a Chinese input method)", () => {
    expect(phoneField.parse("１３８００００００００")).toBe("13800000000");
    expect(textField({ label: "名称", max: 20 }).parse(`测试${FULL_WIDTH}`)).toBe("测试1234567890");
    expect(textField({ label: "说明", max: 100, multiline: true }).parse("第一行\n第二行")).toBe("第一行\n第二行");
  });
});
