/**
 * Test data in a given state, written straight to the database (and the object store) so that a test
 * of a later step does not have to click through the earlier ones. Used by the integration tests
 * (with the client of `useFreshDatabase`) and by the browser tests (with `scenarioClient()` of
 * tests/e2e/utils.ts and a FolderStore on the e2e data folder).
 *
 * Only the state is made here; every rule is exercised by the code under test.
 */
import crypto from "node:crypto";
import { Readable } from "node:stream";

import { MATERIAL_IDS, type MaterialId } from "../../app/domain/materials.ts";
import type { ObjectStore } from "../../app/services/storage.server.ts";
import type { Db } from "../../app/utils/db.server.ts";
import { hashPassword } from "../../app/utils/password.server.ts";
import { makeJpeg, makePdf } from "./files.ts";

export const SCENARIO_PASSWORD = "Scenario-Passw0rd!";

let counter = 0;
function unique(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}${crypto.randomBytes(2).toString("hex")}`;
}

/** A valid-looking 18-character credit code (the check character is not computed; the DB does not check it). */
export function fakeUscc(): string {
  const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  let body = "91370303";
  while (body.length < 18) body += alphabet[crypto.randomInt(alphabet.length)];
  return body;
}

export async function createRound(
  prisma: Db,
  options: {
    name?: string;
    code?: string;
    deadline?: Date;
    enterprises?: string[];
    providers?: string[];
    passMark?: number;
  } = {},
) {
  const code = options.code ?? unique("T").slice(0, 12);
  const enterprises = options.enterprises ?? Array.from({ length: 10 }, (_, i) => `测试企业${code}-${i + 1}有限公司`);
  const providers = options.providers ?? Array.from({ length: 5 }, (_, i) => `测试服务商${code}-${i + 1}科技有限公司`);
  return prisma.round.create({
    data: {
      name: options.name ?? `测试批次${code}`,
      code,
      year: 2022,
      status: "open",
      deadline: options.deadline ?? new Date("2099-12-31T15:59:59Z"),
      passMark: options.passMark ?? 60,
      budgetFen: enterprises.length * 1_000_000,
      enterprises: { create: enterprises.map((name, i) => ({ name, seq: i + 1 })) },
      providers: { create: providers.map((name, i) => ({ name, seq: i + 1 })) },
    },
    include: { enterprises: { orderBy: { seq: "asc" } }, providers: { orderBy: { seq: "asc" } } },
  });
}

/** A payee account number (收款账户) of 19 digits, unique enough for tests. */
export function fakeAccountNumber(): string {
  let digits = "6222";
  while (digits.length < 19) digits += String(crypto.randomInt(10));
  return digits;
}

/**
 * A verified provider organisation with one active user (password SCENARIO_PASSWORD) and, unless
 * `payee: false`, a payee account verified by staff (R-PAY-3: no payout without one).
 */
export async function createProvider(prisma: Db, options: { name?: string; email?: string; payee?: boolean } = {}) {
  const name = options.name ?? `测试服务商${unique("")}`;
  const email = options.email ?? `${unique("provider")}@example.test`;
  const payee =
    options.payee === false
      ? {}
      : {
          payeeAccountName: name,
          payeeBankName: "中国工商银行淄博张店支行",
          payeeAccountNumber: fakeAccountNumber(),
          payeeChangedAt: new Date(),
          payeeVerifiedAt: new Date(),
        };
  const organisation = await prisma.organisation.create({
    data: {
      name,
      uscc: fakeUscc(),
      contactName: "联系人",
      contactPhone: "13800000000",
      contactEmail: email,
      status: "verified",
      goodStandingDeclaredAt: new Date(),
      registeredInZhangdianConfirmed: true,
      verifiedAt: new Date(),
      ...payee,
    },
  });
  const user = await prisma.user.create({
    data: {
      email,
      name: `${name}联系人`,
      roles: ["provider"],
      organisationId: organisation.id,
      passwordHash: await hashPassword(SCENARIO_PASSWORD),
    },
  });
  return { organisation, user, email, password: SCENARIO_PASSWORD };
}

/** An active user with the given roles (password SCENARIO_PASSWORD). */
export async function createUser(
  prisma: Db,
  roles: ("staff" | "approver" | "expert" | "admin")[],
  options: { name?: string; email?: string; field?: string; organisationName?: string; createdById?: string } = {},
) {
  const email = options.email ?? `${unique(roles[0] ?? "user")}@example.test`;
  const user = await prisma.user.create({
    data: {
      email,
      name: options.name ?? `测试${roles.includes("expert") ? "专家" : "人员"}${counter}`,
      roles,
      passwordHash: await hashPassword(SCENARIO_PASSWORD),
      createdById: options.createdById ?? null,
      ...(roles.includes("expert")
        ? {
            expertProfile: {
              create: {
                field: options.field ?? "智能制造",
                organisationName: options.organisationName ?? "某高校",
                conflictsDeclaredAt: new Date(),
              },
            },
          }
        : {}),
    },
  });
  return { user, email, password: SCENARIO_PASSWORD };
}

async function storeFile(
  store: ObjectStore,
  prisma: Db,
  fileName: string,
  bytes: Uint8Array,
  contentType: string,
  uploadedById: string,
) {
  const key = `materials/${unique("f")}-${fileName.replace(/[^a-z0-9.]/gi, "_")}`;
  await store.put(key, Readable.from([Buffer.from(bytes)]), contentType);
  return prisma.storedFile.create({
    data: {
      key,
      fileName,
      contentType,
      size: bytes.length,
      sha256: crypto.createHash("sha256").update(bytes).digest("hex"),
      uploadedById,
    },
  });
}

export type ScenarioApplicationOptions = {
  roundId: string;
  enterpriseId: string;
  organisationId: string;
  createdById: string;
  store: ObjectStore;
  /** Defaults to "submitted". */
  status?: "draft" | "submitted" | "accepted" | "under_review";
  contractAmountFen?: number;
  reportTitle?: string;
  /** Bytes of the diagnosis report (M8); a one-page PDF by default. */
  reportPdf?: Uint8Array;
  /** Leave these materials out (the application is then incomplete). */
  without?: MaterialId[];
  submittedAt?: Date;
};

/** An application with every material (small real PDF/JPEG files in the store), in the given status. */
/** R-ELIG-1: only a provider on the round's list files in it; the scenario keeps that true. */
export async function putOnProviderList(prisma: Db, roundId: string, organisationId: string) {
  const organisation = await prisma.organisation.findUniqueOrThrow({
    where: { id: organisationId },
    select: { name: true },
  });
  const listed = await prisma.roundProvider.count({ where: { roundId } });
  await prisma.roundProvider.upsert({
    where: { roundId_name: { roundId, name: organisation.name } },
    create: { roundId, name: organisation.name, seq: listed + 1 },
    update: {},
  });
}

export async function createApplication(prisma: Db, options: ScenarioApplicationOptions) {
  const round = await prisma.round.update({
    where: { id: options.roundId },
    data: { applicationSeq: { increment: 1 } },
    select: { code: true, applicationSeq: true },
  });
  await putOnProviderList(prisma, options.roundId, options.organisationId);
  const status = options.status ?? "submitted";
  const submittedAt = status === "draft" ? null : (options.submittedAt ?? new Date());
  const application = await prisma.application.create({
    data: {
      number: `${round.code}-${String(round.applicationSeq).padStart(4, "0")}`,
      roundId: options.roundId,
      organisationId: options.organisationId,
      enterpriseId: options.enterpriseId,
      enterpriseUscc: fakeUscc(),
      eligibilityConfirmedAt: new Date(),
      reportTitle: options.reportTitle ?? "智能化改造评估诊断报告",
      contractAmountFen: options.contractAmountFen ?? 1_200_000,
      contractSignedOn: "2022-09-01",
      diagnosisCompletedOn: "2022-09-20",
      diagnosisDueOn: "2022-09-29",
      status,
      sealAttestedAt: submittedAt,
      submittedAt,
      acceptedAt: status === "accepted" || status === "under_review" ? new Date() : null,
      createdById: options.createdById,
    },
  });
  const pdf = await makePdf("material");
  const photo = await makeJpeg(crypto.randomInt(1_000_000));
  for (const material of MATERIAL_IDS) {
    if (options.without?.includes(material)) continue;
    const isPhoto = material === "M5";
    const bytes = material === "M8" ? (options.reportPdf ?? (await makePdf("report"))) : isPhoto ? photo : pdf;
    const file = await storeFile(
      options.store,
      prisma,
      isPhoto ? `${material}.jpg` : `${material}.pdf`,
      bytes,
      isPhoto ? "image/jpeg" : "application/pdf",
      options.createdById,
    );
    await prisma.applicationMaterial.create({
      data: { applicationId: application.id, material, fileId: file.id, photoTag: isPhoto ? "workshop" : null },
    });
    if (material === "M7")
      await recordSummaryTable(prisma, {
        roundId: options.roundId,
        organisationId: options.organisationId,
        fileId: file.id,
      });
    if (isPhoto) {
      const team = await storeFile(
        options.store,
        prisma,
        `${material}-team.jpg`,
        await makeJpeg(crypto.randomInt(1_000_000)),
        "image/jpeg",
        options.createdById,
      );
      await prisma.applicationMaterial.create({
        data: { applicationId: application.id, material, fileId: team.id, photoTag: "team" },
      });
    }
  }
  return application;
}

/**
 * M7 (R-MAT-2): the provider's summary table of the round as the portal keeps it after an upload: a
 * generation listing every application the provider has in the round, with the signed file.
 */
export async function recordSummaryTable(
  prisma: Db,
  options: { roundId: string; organisationId: string; fileId: string | null },
) {
  const applications = await prisma.application.findMany({
    where: { roundId: options.roundId, organisationId: options.organisationId },
    select: { id: true },
  });
  const ids = applications.map((a) => a.id).sort();
  return prisma.providerSummaryTable.create({
    data: {
      roundId: options.roundId,
      organisationId: options.organisationId,
      applicationIds: ids,
      digest: crypto.createHash("sha256").update(ids.join("\n"), "utf8").digest("hex"),
      fileId: options.fileId,
      uploadedAt: options.fileId ? new Date() : null,
    },
  });
}

/** Assign an expert to an application (no rule checked: the assignment code is tested elsewhere). */
export async function assignExpert(
  prisma: Db,
  options: { applicationId: string; expertId: string; assignedById: string },
) {
  return prisma.expertAssignment.create({
    data: { ...options, noConflictConfirmedAt: null },
  });
}
