/**
 * Loads what a round starts from, idempotently: the 2022 round with attachment 2 (50 enterprises) and
 * attachment 3 (36 providers) from the CSV files beside this file; with demo on, a demo round (演示) with
 * the same lists and a deadline four weeks ahead, and one demo account per role whose random passwords
 * are printed once, when they are created. Existing rounds and accounts are left as they are.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { parseEnterpriseList, parseProviderList } from "../app/domain/round-lists.ts";
import { endOfShanghaiDay, parseShanghaiDateTime, shanghaiDate } from "../app/domain/shanghai-time.ts";
import { isValidUscc } from "../app/domain/uscc.ts";
import type { Role } from "../app/generated/prisma/enums.ts";
import { recordAudit } from "../app/models/audit.server.ts";
import { replaceEnterpriseList, replaceProviderList } from "../app/models/round.server.ts";
import { parseCsv } from "../app/services/spreadsheet.server.ts";
import type { Db } from "../app/utils/db.server.ts";
import { hashPassword, randomPassword } from "../app/utils/password.server.ts";

const here = path.dirname(fileURLToPath(import.meta.url));

export const ROUND_2022 = {
  name: "2022年智能化改造咨询诊断工程专项资金补助",
  code: "2022",
  year: 2022,
  // R-DATE-1: 申报材料受理截止时间为2022年12月20日 — end of that day in Asia/Shanghai.
  deadline: endOfShanghaiDay("2022-12-20"),
  disbursementDeadline: endOfShanghaiDay("2022-12-20"),
};
export const DEMO_ROUND_NAME = "【演示】智能化改造咨询诊断补助演示批次";

function readList(file: string) {
  return parseCsv(fs.readFileSync(path.join(here, file), "utf8"));
}

export function seedLists() {
  const enterprises = parseEnterpriseList(readList("enterprises-2022.csv"));
  const providers = parseProviderList(readList("providers-2022.csv"));
  if (!enterprises.ok || !providers.ok) throw new Error("seed lists are invalid");
  return { enterprises: enterprises.entries, providers: providers.entries };
}

async function ensureRound(
  prisma: Db,
  data: {
    name: string;
    code: string;
    year: number;
    deadline: Date;
    disbursementDeadline: Date | null;
    isDemo: boolean;
  },
  status: "open" | "closed",
): Promise<{ id: string; created: boolean }> {
  const existing = await prisma.round.findUnique({ where: { name: data.name }, select: { id: true } });
  if (existing) return { id: existing.id, created: false };
  const lists = seedLists();
  const id = await prisma.$transaction(async (tx) => {
    // The 2022 round and the demo round require the paper copies before 受理 (README decision "Paper copies").
    const round = await tx.round.create({
      data: { ...data, status, budgetFen: lists.enterprises.length * 1_000_000, paperCopiesRequired: true },
    });
    await recordAudit(tx, {
      actor: null,
      action: "seed.load",
      entityType: "round",
      entityId: round.id,
      after: { name: data.name },
    });
    await replaceEnterpriseList(tx, null, round.id, lists.enterprises);
    await replaceProviderList(tx, null, round.id, lists.providers);
    return round.id;
  });
  return { id, created: true };
}

/** A valid code (R-ELIG-5) for the demo organisation: a fixed 17-character body plus its check character. */
function demoUscc(): string {
  const body = "9137030300DEM0001";
  for (const c of "0123456789ABCDEFGHJKLMNPQRTUWXY") if (isValidUscc(body + c)) return body + c;
  throw new Error("no check character");
}

type DemoAccount = { role: Role; roles: Role[]; email: string; name: string };
const DEMO_ACCOUNTS: DemoAccount[] = [
  { role: "staff", roles: ["staff"], email: "staff@demo.local", name: "演示-工信局经办人" },
  { role: "approver", roles: ["approver"], email: "approver@demo.local", name: "演示-分管领导" },
  // R-PAY-3: accounts and roles are managed by the administrator, who prepares and approves nothing.
  { role: "admin", roles: ["admin"], email: "admin@demo.local", name: "演示-系统管理员" },
  { role: "expert", roles: ["expert"], email: "expert@demo.local", name: "演示-评审专家" },
  { role: "provider", roles: ["provider"], email: "provider@demo.local", name: "演示-服务商联系人" },
];

export async function seed(
  prisma: Db,
  options: { demo: boolean; dataDir: string; now: Date; log?: (line: string) => void },
): Promise<{ created: string[]; demoPasswords: { email: string; password: string; role: Role }[] }> {
  const log = options.log ?? (() => {});
  const created: string[] = [];
  const r2022 = await ensureRound(prisma, { ...ROUND_2022, isDemo: false }, "closed");
  if (r2022.created) created.push(ROUND_2022.name);
  const demoPasswords: { email: string; password: string; role: Role }[] = [];
  if (!options.demo) return { created, demoPasswords };

  const deadlineDay = shanghaiDate(new Date(options.now.getTime() + 28 * 24 * 3600 * 1000));
  const demoRound = await ensureRound(
    prisma,
    {
      name: DEMO_ROUND_NAME,
      code: "YS",
      year: Number(deadlineDay.slice(0, 4)),
      deadline: endOfShanghaiDay(deadlineDay),
      disbursementDeadline: parseShanghaiDateTime(`${deadlineDay} 23:59:59`),
      isDemo: true,
    },
    "open",
  );
  if (demoRound.created) created.push(DEMO_ROUND_NAME);

  const providerName = seedLists().providers[0]?.name ?? "演示服务商";
  for (const account of DEMO_ACCOUNTS) {
    if (await prisma.user.findUnique({ where: { email: account.email }, select: { id: true } })) continue;
    const password = randomPassword();
    const passwordHash = await hashPassword(password);
    await prisma.$transaction(async (tx) => {
      let organisationId: string | null = null;
      if (account.role === "provider") {
        const org =
          (await tx.organisation.findUnique({ where: { name: providerName } })) ??
          (await tx.organisation.create({
            data: {
              name: providerName,
              uscc: demoUscc(),
              contactName: account.name,
              contactPhone: "13800000000",
              contactEmail: account.email,
              status: "verified",
              registeredInZhangdianConfirmed: true,
              goodStandingDeclaredAt: options.now,
              verifiedAt: options.now,
              isDemo: true,
            },
          }));
        organisationId = org.id;
      }
      const user = await tx.user.create({
        data: {
          email: account.email,
          name: account.name,
          roles: account.roles,
          passwordHash,
          organisationId,
          isDemo: true,
        },
      });
      // The demo expert's pool entry; it still declares its own conflicts at first login (R-REV-5).
      if (account.role === "expert") {
        await tx.expertProfile.create({
          data: { userId: user.id, field: "智能制造", organisationName: "演示-高校智能制造研究院" },
        });
      }
      await recordAudit(tx, {
        actor: null,
        action: "user.create",
        entityType: "user",
        entityId: user.id,
        after: { email: user.email, roles: user.roles, demo: true },
      });
    });
    demoPasswords.push({ email: account.email, password, role: account.role });
  }
  if (demoPasswords.length > 0) {
    const file = path.resolve(options.dataDir, "demo-accounts.txt");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.appendFileSync(file, demoPasswords.map((a) => `${a.role}\t${a.email}\t${a.password}`).join("\n") + "\n", {
      mode: 0o600,
    });
    log(`演示账号（仅此一次显示，亦保存在 ${file}）：`);
    for (const a of demoPasswords) log(`  ${a.role.padEnd(8)} ${a.email.padEnd(22)} ${a.password}`);
  }
  return { created, demoPasswords };
}
