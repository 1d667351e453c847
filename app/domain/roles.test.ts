import { describe, expect, it } from "vitest";

import { checkRoleGrant, checkRoleSet } from "./roles.ts";

describe("checkRoleSet (R-PAY-3 separation of duties)", () => {
  it("R-PAY-3 an administrator is never also staff or approver", () => {
    expect(checkRoleSet(["admin", "approver"]).ok).toBe(false);
    expect(checkRoleSet(["admin", "staff"]).ok).toBe(false);
    expect(checkRoleSet(["admin"]).ok).toBe(true);
    expect(checkRoleSet(["staff", "approver"]).ok).toBe(true);
  });

  it("refuses an empty set and the provider role", () => {
    expect(checkRoleSet([])).toEqual({ ok: false, message: "请至少选择一个角色" });
    expect(checkRoleSet(["provider"]).ok).toBe(false);
  });
});

describe("checkRoleGrant (R-PAY-3)", () => {
  it("R-PAY-3 staff grant no role but may invite an expert into the pool", () => {
    expect(checkRoleGrant({ actorRoles: ["staff"], actorId: "s", targetId: null, roles: ["approver"] }).ok).toBe(false);
    expect(checkRoleGrant({ actorRoles: ["staff"], actorId: "s", targetId: null, roles: ["staff"] }).ok).toBe(false);
    expect(checkRoleGrant({ actorRoles: ["staff"], actorId: "s", targetId: "u", roles: ["expert"] }).ok).toBe(false);
    expect(checkRoleGrant({ actorRoles: ["staff"], actorId: "s", targetId: null, roles: ["expert"] }).ok).toBe(true);
  });

  it("R-PAY-3 approvers grant no role", () => {
    expect(checkRoleGrant({ actorRoles: ["approver"], actorId: "a", targetId: null, roles: ["expert"] }).ok).toBe(
      false,
    );
  });

  it("R-PAY-3 an administrator grants roles, never to itself", () => {
    expect(checkRoleGrant({ actorRoles: ["admin"], actorId: "a", targetId: null, roles: ["approver"] }).ok).toBe(true);
    expect(checkRoleGrant({ actorRoles: ["admin"], actorId: "a", targetId: "a", roles: ["admin", "expert"] }).ok).toBe(
      false,
    );
  });
});
