/**
 * Separation of duties (R-PAY-3): who may grant which role. The system administrator (系统管理员)
 * manages accounts and roles and does nothing else; staff and approvers grant no role; the expert pool
 * is kept by staff through expert invitations only.
 */

/** The roles an administrator may give an account (providers register themselves). */
export const GRANTABLE_ROLES = ["expert", "staff", "approver", "admin"] as const;
export type GrantableRole = (typeof GRANTABLE_ROLES)[number];

export type RoleCheck = { ok: true } | { ok: false; message: string };

/**
 * R-PAY-3: an administrator account prepares and approves nothing, so the administrator role is never
 * held together with the staff or approver role (otherwise one person could make the accounts that
 * then act as the second key).
 */
export function checkRoleSet(roles: readonly string[]): RoleCheck {
  if (roles.length === 0) return { ok: false, message: "请至少选择一个角色" };
  if (roles.includes("provider")) return { ok: false, message: "服务商账号由服务商自行注册，不能在此授予" };
  if (roles.includes("admin") && (roles.includes("staff") || roles.includes("approver"))) {
    return { ok: false, message: "系统管理员不能同时担任工信局工作人员或审批领导（职责分离）" };
  }
  return { ok: true };
}

/**
 * R-PAY-3: who may grant a role. Only an administrator grants roles; staff may invite experts into the
 * expert pool (the expert role only). Nobody changes their own roles.
 */
export function checkRoleGrant(input: {
  actorRoles: readonly string[];
  actorId: string;
  targetId: string | null;
  roles: readonly string[];
}): RoleCheck {
  if (input.targetId !== null && input.targetId === input.actorId)
    return { ok: false, message: "不能修改自己的角色，请由其他系统管理员操作" };
  if (input.actorRoles.includes("admin")) return checkRoleSet(input.roles);
  if (
    input.actorRoles.includes("staff") &&
    input.targetId === null &&
    input.roles.length === 1 &&
    input.roles[0] === "expert"
  ) {
    return { ok: true };
  }
  return { ok: false, message: "只有系统管理员可以授予角色" };
}
