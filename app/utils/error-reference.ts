/**
 * The reference shown on the error page for an unexpected error: the request id the server logged the
 * error under. Shared by the server (which sets the cookie on 5xx answers) and the error page.
 */
import { createContext } from "react";

export const ERROR_REFERENCE_COOKIE = "portal-error-ref";

/** The reference carried by the cookie string, if any. */
export function readErrorReference(cookie: string): string | undefined {
  for (const part of cookie.split(";")) {
    const [name, value] = part.trim().split("=");
    if (name === ERROR_REFERENCE_COOKIE && value && /^[A-Za-z0-9._:-]{8,100}$/.test(value)) return value;
  }
  return undefined;
}

/** The current request's id while the page renders on the server (entry.server.tsx provides it). */
export const ServerRequestIdContext = createContext<string | undefined>(undefined);
