/** What the browser tests and their server share: the database, the secret, the mail folder. */
import path from "node:path";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3101);
/** Named after the port, so two checkouts on one machine (E2E_PORT differs) never share a database. */
export const E2E_DATABASE = `portal_e2e_${E2E_PORT}`;
export const E2E_SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? 2526);
export const E2E_SESSION_SECRET = "e2e-session-secret-0123456789abcdef0123";
export const E2E_DATA_DIR = path.resolve(import.meta.dirname, "..", ".tmp", `e2e-data-${E2E_PORT}`);

export function e2eDatabaseUrl(): string {
  const admin = process.env.TEST_POSTGRES_URL;
  if (!admin) throw new Error("TEST_POSTGRES_URL is not set: run the browser tests with `npm test`");
  const url = new URL(admin);
  url.pathname = `/${E2E_DATABASE}`;
  return url.toString();
}
