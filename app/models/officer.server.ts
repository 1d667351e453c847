/**
 * A member of the bureau acting on payouts and the public notice: who they are (for the record, R-LOG-1)
 * and the roles they hold (for the checks, e.g. R-PAY-3's maker-checker), and what such an action answers.
 */
import type { Role } from "~/generated/prisma/enums.ts";
import type { Actor } from "~/models/audit.server.ts";

export type Officer = { id: string; name: string; roles: readonly Role[] | readonly string[] };

export type Outcome<T = object> =
  | ({ ok: true } & T)
  | { ok: false; message: string; problems?: { applicationNo: string; message: string }[]; field?: "paidOn" };

/** The officer as the actor of an audit entry. */
export function actorOf(officer: Officer): NonNullable<Actor> {
  return { id: officer.id, name: officer.name };
}
