/**
 * R-PAY-3 separation of duties, on both databases: only the system administrator grants roles (staff
 * cannot, through the page or the model), every grant is on the record and mailed to every approver,
 * each account records who made it, and nobody approves a batch prepared by themselves, by an account
 * they created or invited, or by the account that created or invited them (the detour of issue 13).
 */
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Officer } from "~/models/officer.server.ts";
import { approveBatch, returnBatch } from "~/models/payout-batch.server.ts";
import {
  acceptInvitation,
  createFirstAdministrator,
  createStaffManagedUser,
  RoleGrantError,
  setUserRoles,
} from "~/models/user.server.ts";
import { action as adminUsersAction, loader as adminUsersLoader } from "~/routes/admin.users.tsx";
import { FolderStore } from "~/services/storage.server.ts";
import { closeDatabase, type Db } from "~/utils/db.server.ts";

import { createApplicationWithResult, createPayoutRound } from "../utils/application-results.ts";
import { getRequest, postRequest, sessionCookie, settle } from "../utils/http.ts";
import { createOfficer, preparedBatch } from "../utils/payout-scenario.ts";
import { createProvider } from "../utils/scenario.ts";
import { useFreshDatabase, VARIANTS } from "../utils/test-database.ts";

describe.each(VARIANTS)("separation of duties on %s", (variant) => {
  let prisma: Db;
  let store: FolderStore;
  let admin: Officer;
  let staff: Officer;
  let approver: Officer;

  /** A batch of one application ready for payment (in a round of its own), prepared by `preparer`. */
  async function preparedBy(preparer: Officer) {
    const round = await createPayoutRound(prisma);
    const provider = await createProvider(prisma);
    const application = await createApplicationWithResult(prisma, { store, round, provider, contractFen: 500_000 });
    return preparedBatch(prisma, preparer, round.id, [application.id]);
  }

  beforeAll(async () => {
    const fresh = await useFreshDatabase(variant);
    prisma = fresh.prisma;
    process.env.DATA_DIR = fresh.dataDir;
    store = new FolderStore(path.join(fresh.dataDir, "files"));
    admin = await createOfficer(prisma, ["admin"], "系统管理员甲");
    staff = await createOfficer(prisma, ["staff"], "经办人甲");
    approver = await createOfficer(prisma, ["approver"], "分管领导甲");
  });
  afterAll(async () => {
    await closeDatabase();
  });

  it("R-PAY-3 staff cannot open the account page nor create an approver through it; the database is unchanged", async () => {
    const cookie = await sessionCookie(staff.id);
    expect(
      (await settle(() => adminUsersLoader({ request: getRequest("/admin/users", cookie), params: {}, context: {} })))
        .status,
    ).toBe(403);
    const users = await prisma.user.count();
    const audit = await prisma.auditEntry.count();
    const posted = await settle(() =>
      adminUsersAction({
        request: postRequest(
          "/admin/users",
          { intent: "invite", name: "我的小号", email: "mine@evil.example", roles: "approver" },
          cookie,
        ),
        params: {},
        context: {},
      }),
    );
    expect(posted.status).toBe(403);
    expect(await prisma.user.count()).toBe(users);
    expect(await prisma.auditEntry.count()).toBe(audit);
  });

  it("R-PAY-3 staff and approvers grant no role in the model either (experts into the pool only)", async () => {
    await expect(
      createStaffManagedUser(staff, { name: "小号", email: "alt@evil.example", roles: ["approver"] }),
    ).rejects.toThrow(RoleGrantError);
    await expect(
      createStaffManagedUser(staff, { name: "小号", email: "alt2@evil.example", roles: ["staff"] }),
    ).rejects.toThrow(RoleGrantError);
    await expect(
      createStaffManagedUser(approver, { name: "小号", email: "alt3@evil.example", roles: ["expert"] }),
    ).rejects.toThrow(RoleGrantError);
    expect(await setUserRoles(staff, { userId: approver.id, roles: ["approver", "staff"] })).toMatchObject({
      ok: false,
    });
    expect(await prisma.user.count({ where: { email: { endsWith: "@evil.example" } } })).toBe(0);
  });

  it("R-PAY-3 an administrator is never staff or approver, and cannot change its own roles", async () => {
    const cookie = await sessionCookie(admin.id);
    const posted = await settle(() =>
      adminUsersAction({
        request: postRequest(
          "/admin/users",
          { intent: "invite", name: "双重身份", email: "both@example.test", roles: ["admin", "approver"] },
          cookie,
        ),
        params: {},
        context: {},
      }),
    );
    expect(posted.status).toBe(400);
    expect(JSON.stringify(posted.body)).toContain("职责分离");
    expect(await setUserRoles(admin, { userId: admin.id, roles: ["admin", "approver"] })).toMatchObject({ ok: false });
  });

  it("R-PAY-3 R-LOG-1 the administrator's grants are recorded with who made the account and mailed to every approver", async () => {
    const otherApprover = await createOfficer(prisma, ["approver"], "分管领导乙");
    const cookie = await sessionCookie(admin.id);
    const posted = await settle(() =>
      adminUsersAction({
        request: postRequest(
          "/admin/users",
          { intent: "invite", name: "新经办人", email: "new-staff@example.test", roles: "staff" },
          cookie,
        ),
        params: {},
        context: {},
      }),
    );
    expect(posted.status).toBe(200);
    const made = await prisma.user.findUniqueOrThrow({ where: { email: "new-staff@example.test" } });
    expect(made.createdById).toBe(admin.id);
    expect(
      await prisma.auditEntry.findFirst({ where: { action: "user.invite", entityId: made.id, actorId: admin.id } }),
    ).not.toBeNull();
    for (const to of [approver, otherApprover]) {
      const email = (await prisma.user.findUniqueOrThrow({ where: { id: to.id } })).email;
      const mail = await prisma.outboxMessage.findFirst({
        where: { to: email, subject: { contains: "角色授予通知" }, text: { contains: "new-staff@example.test" } },
      });
      expect(mail?.text).toContain("工信局工作人员");
    }

    expect(await setUserRoles(admin, { userId: made.id, roles: ["staff", "approver"] })).toEqual({ ok: true });
    const grant = await prisma.auditEntry.findFirstOrThrow({ where: { action: "user.set_roles", entityId: made.id } });
    expect(grant.after).toMatchObject({ added: ["approver"] });
    expect(
      await prisma.outboxMessage.count({
        where: { subject: { contains: "角色授予通知" }, text: { contains: "审批领导" } },
      }),
    ).toBeGreaterThanOrEqual(2);
  });

  it("R-PAY-3 R-LOG-1 the first administrator of an installation is made from the command line, on the record, mailed to approvers", async () => {
    const { link } = await createFirstAdministrator({ email: "First-Admin@example.test", name: "首任管理员" });
    const made = await prisma.user.findUniqueOrThrow({ where: { email: "first-admin@example.test" } });
    expect(made).toMatchObject({ roles: ["admin"], status: "invited" });
    expect(await prisma.auditEntry.count({ where: { action: "user.create", entityId: made.id } })).toBe(1);
    expect(
      await prisma.outboxMessage.count({
        where: { subject: { contains: "角色授予通知" }, text: { contains: "first-admin@example.test" } },
      }),
    ).toBeGreaterThan(0);
    const token = link.split("/invite/")[1] ?? "";
    expect(await acceptInvitation(token, "AdminPassw0rd!")).toEqual({ ok: true, userId: made.id });
  });

  it("R-PAY-3 nobody approves a batch prepared by themselves, by an account they made, or by the account that made theirs", async () => {
    // The detour of issue 13: a staff member's own approver account (made before this release, say).
    const ownApprover = await createOfficer(prisma, ["approver"], "经办人甲的小号", staff.id);
    const batch = await preparedBy(staff);
    const refused = await approveBatch(ownApprover, { batchId: batch.id, version: batch.version });
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining("编制人创建或邀请") });
    expect(await returnBatch(ownApprover, { batchId: batch.id, version: batch.version, reason: "x" })).toMatchObject({
      ok: false,
    });

    // An approver who made the preparer's account.
    const madeStaff = await createOfficer(prisma, ["staff"], "经办人丙", approver.id);
    const second = await preparedBy(madeStaff);
    expect(await approveBatch(approver, { batchId: second.id, version: second.version })).toMatchObject({
      ok: false,
      message: expect.stringContaining("您创建或邀请"),
    });

    expect((await prisma.payoutBatch.findUniqueOrThrow({ where: { id: batch.id } })).status).toBe("prepared");
    // An independent approver may.
    expect(await approveBatch(approver, { batchId: batch.id, version: batch.version })).toMatchObject({ ok: true });
  });
});
