/**
 * Real Requests for calling route loaders and actions directly in integration tests: a signed session
 * cookie made by the portal's own session code, and form posts from the portal's own origin.
 */
import { startSession } from "../../app/utils/session.server.ts";

export const ORIGIN = "http://localhost:3000";

/** The Cookie header of a fresh session for `userId` (made by startSession, as a sign-in would). */
export async function sessionCookie(userId: string): Promise<string> {
  const setCookie = await startSession(userId, new Request(`${ORIGIN}/login`));
  return setCookie.split(";")[0] ?? "";
}

export function getRequest(path: string, cookie?: string): Request {
  return new Request(`${ORIGIN}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

export function postRequest(path: string, fields: Record<string, string | string[]>, cookie?: string): Request {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields))
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  return new Request(`${ORIGIN}${path}`, {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: ORIGIN,
      ...(cookie ? { Cookie: cookie } : {}),
    },
  });
}

/** Runs a loader or action; a thrown Response (redirect, 403, 404) is returned like a returned one. */
export async function settle(
  run: () => Promise<unknown>,
): Promise<{ status: number; location: string | null; body: unknown }> {
  try {
    const result = await run();
    if (result instanceof Response)
      return { status: result.status, location: result.headers.get("Location"), body: result };
    if (result && typeof result === "object" && "type" in result && result.type === "DataWithResponseInit") {
      const init = Reflect.get(result, "init") as ResponseInit | null;
      return { status: init?.status ?? 200, location: null, body: Reflect.get(result, "data") };
    }
    return { status: 200, location: null, body: result };
  } catch (error) {
    if (error instanceof Response)
      return { status: error.status, location: error.headers.get("Location"), body: error };
    throw error;
  }
}
