/**
 * Configuration: read once from process.env, validated by zod. A wrong value stops the start with a
 * message naming the variable. README.md has the table of every variable.
 */
import { z } from "zod";

const bool = (fallback: boolean) =>
  z
    .enum(["0", "1", "true", "false", "yes", "no", ""])
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : v === "1" || v === "true" || v === "yes"));

const optionalUrl = (protocols: RegExp, hint: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v === "" ? undefined : v))
    .refine((v) => v === undefined || protocols.test(v), { message: hint });

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    HOST: z.string().min(1).default("0.0.0.0"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    PUBLIC_URL: optionalUrl(/^https?:\/\//, "must be an http(s):// URL such as https://portal.example.gov.cn"),
    DATA_DIR: z.string().min(1).default("./data"),
    DATABASE_URL: optionalUrl(/^postgres(ql)?:\/\//, "must be a postgresql:// URL, or unset for the embedded database"),
    MIGRATION_DATABASE_URL: optionalUrl(
      /^postgres(ql)?:\/\//,
      "must be a postgresql:// URL of the role that owns the tables",
    ),
    SESSION_SECRET: z
      .string()
      .optional()
      .refine((v) => v === undefined || v === "" || v.length >= 32, { message: "must be at least 32 characters" }),
    SECURE_COOKIES: z.enum(["0", "1", "true", "false", ""]).optional(),
    TRUST_PROXY: bool(false),
    S3_ENDPOINT: optionalUrl(/^https?:\/\//, "must be an http(s):// URL of an S3-compatible endpoint"),
    S3_BUCKET: z.string().optional(),
    S3_REGION: z.string().default("us-east-1"),
    S3_ACCESS_KEY_ID: z.string().optional(),
    S3_SECRET_ACCESS_KEY: z.string().optional(),
    S3_FORCE_PATH_STYLE: bool(true),
    SMTP_URL: optionalUrl(
      /^smtps?:\/\//,
      "must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587",
    ),
    MAIL_FROM: z.string().default("智能化改造诊断补助申报平台 <noreply@localhost>"),
    DEMO: z.enum(["0", "1", ""]).optional(),
    MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(2048).default(50),
    CLOCK_START: z
      .string()
      .optional()
      .refine((v) => v === undefined || v === "" || !Number.isNaN(Date.parse(v)), {
        message: "must be an ISO 8601 instant, e.g. 2022-12-20T23:59:59+08:00",
      }),
    MAIL_WORKER_INTERVAL_MS: z.coerce.number().int().min(50).default(2000),
    OCR_THREADS: z.coerce.number().int().min(1).max(16).default(1),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.S3_ENDPOINT) !== Boolean(env.S3_BUCKET)) {
      ctx.addIssue({
        code: "custom",
        path: [env.S3_ENDPOINT ? "S3_BUCKET" : "S3_ENDPOINT"],
        message: "S3_ENDPOINT and S3_BUCKET are set together (or neither, for the folder store)",
      });
    }
    if (env.S3_ENDPOINT && (!env.S3_ACCESS_KEY_ID || !env.S3_SECRET_ACCESS_KEY)) {
      ctx.addIssue({
        code: "custom",
        path: ["S3_ACCESS_KEY_ID"],
        message: "S3 needs S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY",
      });
    }
    if (env.MIGRATION_DATABASE_URL && !env.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["MIGRATION_DATABASE_URL"],
        message: "is used with DATABASE_URL (the runtime role); set both or neither",
      });
    }
    if (env.NODE_ENV === "production" && env.DATABASE_URL && !env.SESSION_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["SESSION_SECRET"],
        message: "is required in production with PostgreSQL (all instances must share it)",
      });
    }
  });

export type Env = ReturnType<typeof parseEnv>;

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function parseEnv(source: Record<string, string | undefined>) {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? "?"), message: issue.message })),
    );
  }
  const env = result.data;
  const embedded = !env.DATABASE_URL;
  return {
    ...env,
    /** The embedded default (PGlite) is single-process; PostgreSQL allows several instances. */
    embedded,
    /** Demo round and demo accounts: on by default on the embedded database, off with DEMO=0. */
    demo: env.DEMO === "" || env.DEMO === undefined ? embedded : env.DEMO === "1",
    secureCookies:
      env.SECURE_COOKIES === undefined || env.SECURE_COOKIES === ""
        ? env.NODE_ENV === "production" && Boolean(env.PUBLIC_URL?.startsWith("https://"))
        : env.SECURE_COOKIES === "1" || env.SECURE_COOKIES === "true",
    publicUrl: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`,
    maxUploadBytes: env.MAX_UPLOAD_MB * 1024 * 1024,
  };
}

let cached: Env | undefined;
/** The validated configuration of this process. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
