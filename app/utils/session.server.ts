/**
 * Sessions: the cookie holds only a signed session id; the session lives in the database so it can be
 * revoked and is shared by every instance. httpOnly, SameSite=Lax, Secure in production, rotated at
 * login, expiring after 12 hours.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { createCookie, redirect } from "@remix-run/node";

import type { OrganisationStatus, Role, UserStatus } from "~/generated/prisma/enums.ts";
import { noteRequestUser } from "~/services/logger.server.ts";

import { now } from "./clock.server.ts";
import { db, directRows, Prisma } from "./db.server.ts";
import { env } from "./env.server.ts";
import { oncePerRequest } from "./request-scope.server.ts";

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

let secretCache: string | undefined;
/** SESSION_SECRET, or on the embedded default a random secret kept in DATA_DIR (made once). */
function sessionSecret(): string {
  if (secretCache) return secretCache;
  const configured = env().SESSION_SECRET;
  if (configured) return (secretCache = configured);
  const file = path.resolve(env().DATA_DIR, "session-secret");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, crypto.randomBytes(32).toString("hex"), { flag: "wx", mode: 0o600 });
  } catch {
    // exists
  }
  return (secretCache = fs.readFileSync(file, "utf8").trim());
}

function sessionCookie() {
  return createCookie("portal_session", {
    httpOnly: true,
    sameSite: "lax",
    secure: env().secureCookies,
    path: "/",
    secrets: [sessionSecret()],
    maxAge: SESSION_TTL_MS / 1000,
  });
}

export async function readSessionId(request: Request): Promise<string | null> {
  const value: unknown = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" ? value : null;
}

/** Starts a new session (a fresh id: rotation at login) and returns the Set-Cookie header. */
export async function startSession(userId: string, request: Request): Promise<string> {
  const prisma = await db();
  const previous = await readSessionId(request);
  if (previous) await prisma.session.deleteMany({ where: { id: previous } });
  const id = crypto.randomBytes(24).toString("base64url");
  await prisma.session.create({
    data: {
      id,
      userId,
      expiresAt: new Date(now().getTime() + SESSION_TTL_MS),
      ip: clientAddress(request),
      userAgent: request.headers.get("User-Agent")?.slice(0, 300) ?? null,
    },
  });
  return sessionCookie().serialize(id);
}

export async function endSession(request: Request): Promise<string> {
  const id = await readSessionId(request);
  if (id) await (await db()).session.deleteMany({ where: { id } });
  return sessionCookie().serialize("", { maxAge: 0 });
}

/** The client's address: the socket's, or X-Forwarded-For's first hop when TRUST_PROXY is on. */
export function clientAddress(request: Request): string {
  if (env().TRUST_PROXY) {
    const forwarded = request.headers.get("X-Forwarded-For")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return request.headers.get("X-Portal-Remote-Address") ?? "unknown";
}

export type SessionUser = NonNullable<Awaited<ReturnType<typeof getSessionUser>>>;

/**
 * The signed-in user, or null. A page's loaders all ask; within one GET request the database is asked
 * once per session cookie (request-scope.server.ts). A request with an action looks again each time: the
 * action may change what a later read sees.
 */
export function getSessionUser(request: Request) {
  return oncePerRequest(`session-user:${request.headers.get("Cookie") ?? ""}`, () => lookUpSessionUser(request));
}

type SessionRow = {
  expiresAt: Date;
  id: string;
  name: string;
  email: string;
  roles: Role[];
  status: UserStatus;
  isDemo: boolean;
  organisationId: string | null;
  organisationName: string | null;
  organisationStatus: OrganisationStatus | null;
  refusalReason: string | null;
};

/** One query with its joins, read straight from the driver (every page asks it: db.server.ts `directRows`). */
async function lookUpSessionUser(request: Request) {
  const id = await readSessionId(request);
  if (!id) return null;
  const [row] = await directRows<SessionRow>(Prisma.sql`
    SELECT s."expiresAt" AT TIME ZONE 'UTC' AS "expiresAt", u.id, u.name, u.email, u.roles::text[] AS roles, u.status::text AS status, u."isDemo",
           o.id AS "organisationId", o.name AS "organisationName", o.status::text AS "organisationStatus", o."refusalReason"
    FROM "Session" s JOIN "User" u ON u.id = s."userId" LEFT JOIN "Organisation" o ON o.id = u."organisationId"
    WHERE s.id = ${id}`);
  if (!row || new Date(row.expiresAt).getTime() <= now().getTime() || row.status !== "active") return null;
  noteRequestUser(row.id);
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    roles: row.roles,
    status: row.status,
    isDemo: row.isDemo,
    organisation: row.organisationId
      ? {
          id: row.organisationId,
          name: row.organisationName ?? "",
          status: row.organisationStatus ?? "pending",
          refusalReason: row.refusalReason,
        }
      : null,
  };
}

export function homeFor(user: { roles: Role[] }): string {
  if (user.roles.includes("staff")) return "/staff";
  if (user.roles.includes("approver")) return "/staff";
  if (user.roles.includes("admin")) return "/admin/users";
  if (user.roles.includes("expert")) return "/expert";
  return "/provider";
}

/**
 * Every loader and action checks for itself (a parent layout's check does not protect its children).
 * Anonymous → redirect to login; signed in without one of the roles → 403.
 */
export async function requireUser(request: Request, options: { roles?: Role[] } = {}) {
  const user = await getSessionUser(request);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  if (options.roles && !options.roles.some((role) => user.roles.includes(role))) {
    throw new Response("您没有权限访问此页面。", { status: 403, statusText: "Forbidden" });
  }
  return user;
}

/** A provider whose organisation staff have verified (R-ELIG-1); others are sent to their status page. */
export async function requireVerifiedProvider(request: Request) {
  const user = await requireUser(request, { roles: ["provider"] });
  if (!user.organisation || user.organisation.status !== "verified") throw redirect("/provider");
  return { ...user, organisation: user.organisation };
}

/**
 * Where to go after signing in: a path of this portal, or the fallback. The value is parsed as a URL
 * against a placeholder origin and must stay on it; any control or whitespace character (a tab a browser
 * would drop, turning `/\t/evil.example` into `//evil.example`; a newline that would break the Location
 * header) refuses it outright.
 */
export function safeRedirectTo(value: FormDataEntryValue | string | null | undefined, fallback: string): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2000) return fallback;
  // eslint-disable-next-line no-control-regex -- a redirect target with control characters is refused
  if (/[\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/.test(value)) return fallback;
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return fallback;
  const base = "https://portal.invalid";
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
