import { describe, expect, it } from "vitest";

import { ConfigError, parseEnv } from "./env.server.ts";

function problems(source: Record<string, string>) {
  try {
    parseEnv(source);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.variable);
    throw error;
  }
}

describe("configuration", () => {
  it("runs on embedded defaults with nothing set: PGlite, folder store, mail folder, demo on", () => {
    const env = parseEnv({});
    expect(env.embedded).toBe(true);
    expect(env.demo).toBe(true);
    expect(env.PORT).toBe(3000);
    expect(env.DATA_DIR).toBe("./data");
    expect(env.S3_ENDPOINT).toBeUndefined();
    expect(env.SMTP_URL).toBeUndefined();
    expect(env.maxUploadBytes).toBe(50 * 1024 * 1024);
  });

  it("DEMO=0 turns the demo round and accounts off; PostgreSQL defaults to no demo", () => {
    expect(parseEnv({ DEMO: "0" }).demo).toBe(false);
    expect(parseEnv({ DATABASE_URL: "postgresql://u:p@db/portal" }).demo).toBe(false);
    expect(parseEnv({ DATABASE_URL: "postgresql://u:p@db/portal", DEMO: "1" }).demo).toBe(true);
  });

  it("names the variable that is wrong", () => {
    expect(problems({ PORT: "http" })).toEqual(["PORT"]);
    expect(problems({ DATABASE_URL: "mysql://x" })).toEqual(["DATABASE_URL"]);
    expect(problems({ SMTP_URL: "mail.example.com" })).toEqual(["SMTP_URL"]);
    expect(problems({ S3_ENDPOINT: "http://127.0.0.1:9000" })).toContain("S3_BUCKET");
    expect(problems({ S3_ENDPOINT: "http://127.0.0.1:9000", S3_BUCKET: "b" })).toEqual(["S3_ACCESS_KEY_ID"]);
    expect(problems({ CLOCK_START: "yesterday" })).toEqual(["CLOCK_START"]);
    expect(problems({ MAX_UPLOAD_MB: "0" })).toEqual(["MAX_UPLOAD_MB"]);
    expect(problems({ SESSION_SECRET: "short" })).toEqual(["SESSION_SECRET"]);
  });

  it("requires a shared SESSION_SECRET in production on PostgreSQL (several instances)", () => {
    expect(problems({ NODE_ENV: "production", DATABASE_URL: "postgresql://u:p@db/portal" })).toEqual([
      "SESSION_SECRET",
    ]);
    expect(
      problems({ NODE_ENV: "production", DATABASE_URL: "postgresql://u:p@db/portal", SESSION_SECRET: "x".repeat(32) }),
    ).toEqual([]);
  });

  it("secure cookies in production behind https, configurable", () => {
    expect(parseEnv({ NODE_ENV: "production", PUBLIC_URL: "https://portal.example.gov.cn" }).secureCookies).toBe(true);
    expect(parseEnv({}).secureCookies).toBe(false);
    expect(parseEnv({ SECURE_COOKIES: "1" }).secureCookies).toBe(true);
  });
});
