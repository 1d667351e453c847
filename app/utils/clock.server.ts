/**
 * The server's clock. Every rule that depends on "now" (deadlines, countdowns, session expiry) reads it
 * here, never the browser's. CLOCK_START (tests, rehearsals) starts the clock at a given instant; it then
 * advances in real time.
 */
import { env } from "./env.server.ts";

const processStart = Date.now();

export function now(): Date {
  const start = env().CLOCK_START;
  if (!start) return new Date();
  return new Date(Date.parse(start) + (Date.now() - processStart));
}
