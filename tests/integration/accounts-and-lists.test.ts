/**
 * Staff-managed accounts with e-mail invitations, and a round's lists imported from real .xlsx and .csv
 * files, all or nothing (R-ELIG-1, R-ELIG-3), on both databases.
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { parseEnterpriseList, parseProviderList } from "~/domain/round-lists.ts";
import { EnterpriseListInUseError, importRoundList, importRoundListFile } from "~/models/round.server.ts";
import {
  acceptInvitation,
  attemptLogin,
  createStaffManagedUser,
  DuplicateEmailError,
  findValidInvitation,
} from "~/models/user.server.ts";
import { readRows, SpreadsheetError } from "~/services/spreadsheet.server.ts";
import { closeDatabase, type Db } from "~/utils/db.server.ts";

import { ROUND_2022, seed } from "../../seeds/seed.server.ts";
import { createProvider, createRound } from "../utils/scenario.ts";
import { useFreshDatabase, VARIANTS } from "../utils/test-database.ts";

async function xlsx(rows: (string | number)[][]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("名单");
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe("spreadsheets", () => {
  it("R-ELIG-3 reads an .xlsx list, and a GBK-encoded .csv as Excel on Chinese Windows saves it", async () => {
    const rows = await readRows(
      await xlsx([
        ["序号", "企业名称"],
        [1, "山东联美弹簧科技股份有限公司"],
        [2, "淄博美林电子有限公司"],
      ]),
      "名单.xlsx",
    );
    expect(parseEnterpriseList(rows)).toEqual({
      ok: true,
      entries: [
        { seq: 1, name: "山东联美弹簧科技股份有限公司" },
        { seq: 2, name: "淄博美林电子有限公司" },
      ],
    });
    const gbk = Buffer.from([
      0xd0, 0xf2, 0xba, 0xc5, 0x2c, 0xb7, 0xfe, 0xce, 0xf1, 0xc9, 0xcc, 0xc3, 0xfb, 0xb3, 0xc6, 0x0a,
    ]); // 序号,服务商名称
    expect((await readRows(gbk, "list.csv"))[0]).toEqual(["序号", "服务商名称"]);
  });

  it("refuses a malformed spreadsheet, an old .xls and other files with a clear message", async () => {
    await expect(readRows(Buffer.from("PK\u0003\u0004garbage"), "名单.xlsx")).rejects.toThrow(SpreadsheetError);
    await expect(readRows(Buffer.from("x"), "名单.xls")).rejects.toThrow(/不支持旧版 .xls/);
    await expect(readRows(Buffer.from("x"), "名单.pdf")).rejects.toThrow(/只支持 .xlsx 或 .csv/);
  });
});

describe.each(VARIANTS)("accounts and lists on %s", (variant) => {
  let prisma: Db;
  beforeAll(async () => {
    let dataDir: string;
    ({ prisma, dataDir } = await useFreshDatabase(variant));
    await seed(prisma, { demo: false, dataDir, now: new Date("2026-11-23T02:00:00Z") });
  });
  afterAll(async () => {
    await closeDatabase();
  });

  it("with demo off there is no demo round and no demo account", async () => {
    expect(await prisma.round.count()).toBe(1);
    expect(await prisma.user.count({ where: { isDemo: true } })).toBe(0);
  });

  it("the administrator invites an expert by e-mail; the link sets the password once", async () => {
    const admin = await prisma.user.create({ data: { email: "admin@example.test", name: "管理员", roles: ["admin"] } });
    const actor = { id: admin.id, name: admin.name, roles: admin.roles };
    const { userId } = await createStaffManagedUser(actor, {
      name: "李专家",
      email: "Expert@Example.com",
      roles: ["expert"],
    });
    const mail = await prisma.outboxMessage.findFirstOrThrow({ where: { to: "expert@example.com" } });
    expect(mail.subject).toContain("账号邀请");
    const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] ?? "";
    expect(await findValidInvitation(token)).toMatchObject({ userId });
    expect(await attemptLogin({ email: "expert@example.com", password: "expert2022", address: "a" })).toMatchObject({
      ok: false,
    });
    expect(await acceptInvitation(token, "expert2022")).toEqual({ ok: true, userId });
    expect(await acceptInvitation(token, "another2022")).toEqual({ ok: false });
    expect(await attemptLogin({ email: "expert@example.com", password: "expert2022", address: "a" })).toMatchObject({
      ok: true,
      roles: ["expert"],
    });
    await expect(
      createStaffManagedUser(actor, { name: "重复", email: "expert@example.com", roles: ["staff"] }),
    ).rejects.toThrow(DuplicateEmailError);
  });

  it("R-ELIG-3 re-importing an enterprise list merges by name: enterprises already applied for stay, or the import is refused in Chinese", async () => {
    const round = await createRound(prisma, { enterprises: ["甲企业有限公司", "乙企业有限公司", "丙企业有限公司"] });
    const applied = round.enterprises.find((e) => e.name === "甲企业有限公司");
    if (!applied) throw new Error("no enterprise");
    const provider = await createProvider(prisma);
    await prisma.enterpriseClaimAttempt.create({
      data: { roundId: round.id, enterpriseId: applied.id, organisationId: provider.organisation.id },
    });

    const list = (names: string[]) => ({
      kind: "enterprises" as const,
      entries: names.map((name, i) => ({ seq: i + 1, name })),
    });
    await expect(importRoundList(null, round.id, list(["乙企业有限公司", "丁企业有限公司"]))).rejects.toThrow(
      EnterpriseListInUseError,
    );
    await expect(importRoundList(null, round.id, list(["乙企业有限公司"]))).rejects.toThrow(
      /新名单缺少已有申报的企业：甲企业有限公司/,
    );
    expect(
      (await prisma.roundEnterprise.findMany({ where: { roundId: round.id }, orderBy: { seq: "asc" } })).map(
        (e) => e.name,
      ),
    ).toEqual(["甲企业有限公司", "乙企业有限公司", "丙企业有限公司"]);

    await importRoundList(null, round.id, list(["丁企业有限公司", "甲企业有限公司"]));
    const after = await prisma.roundEnterprise.findMany({ where: { roundId: round.id }, orderBy: { seq: "asc" } });
    expect(after.map((e) => [e.seq, e.name])).toEqual([
      [1, "丁企业有限公司"],
      [2, "甲企业有限公司"],
    ]);
    // The enterprise that was applied for keeps its row, and so every record that names it.
    expect(after.find((e) => e.name === "甲企业有限公司")?.id).toBe(applied.id);
  });

  it("R-ELIG-3 an uploaded list is imported whole, or refused with its rows' errors or a Chinese reason and nothing changed", async () => {
    const round = await createRound(prisma, { enterprises: ["甲企业有限公司", "乙企业有限公司"] });
    const applied = round.enterprises.find((e) => e.name === "甲企业有限公司");
    if (!applied) throw new Error("no enterprise");
    const provider = await createProvider(prisma);
    await prisma.enterpriseClaimAttempt.create({
      data: { roundId: round.id, enterpriseId: applied.id, organisationId: provider.organisation.id },
    });
    const names = async () =>
      (await prisma.roundEnterprise.findMany({ where: { roundId: round.id }, orderBy: { seq: "asc" } })).map(
        (e) => e.name,
      );
    const upload = async (rows: (string | number)[][], fileName = "名单.xlsx") => ({
      kind: "enterprises" as const,
      fileName,
      bytes: await xlsx(rows),
    });

    const wrongRows = await importRoundListFile(
      null,
      round.id,
      await upload([
        ["序号", "企业名称"],
        [1, "甲企业有限公司"],
        ["二", "丙企业有限公司"],
      ]),
    );
    expect(wrongRows).toMatchObject({
      kind: "enterprises",
      imported: null,
      message: expect.stringMatching(/未导入任何数据/),
    });
    expect(wrongRows.errors.map((e) => e.row)).toEqual([3]);

    expect(
      await importRoundListFile(null, round.id, {
        kind: "enterprises",
        fileName: "名单.xls",
        bytes: new Uint8Array([1]),
      }),
    ).toMatchObject({ imported: null, errors: [], message: expect.stringMatching(/不支持旧版 .xls/) });

    expect(
      await importRoundListFile(
        null,
        round.id,
        await upload([
          ["序号", "企业名称"],
          [1, "丙企业有限公司"],
        ]),
      ),
    ).toMatchObject({
      imported: null,
      errors: [],
      message: expect.stringMatching(/新名单缺少已有申报的企业：甲企业有限公司/),
    });
    expect(await names()).toEqual(["甲企业有限公司", "乙企业有限公司"]);

    expect(
      await importRoundListFile(
        null,
        round.id,
        await upload([
          ["序号", "企业名称"],
          [1, "甲企业有限公司"],
          [2, "丙企业有限公司"],
        ]),
      ),
    ).toEqual({ kind: "enterprises", errors: [], message: null, imported: 2 });
    expect(await names()).toEqual(["甲企业有限公司", "丙企业有限公司"]);
  });

  it("R-ELIG-1 replacing a round's provider list is all or nothing, and on the record", async () => {
    const round = await prisma.round.findUniqueOrThrow({ where: { name: ROUND_2022.name } });
    const bad = parseProviderList(
      await readRows(
        await xlsx([
          ["序号", "服务商名称", "联系人", "联系电话"],
          [1, "甲公司", "张三", "123"],
        ]),
        "a.xlsx",
      ),
    );
    expect(bad.ok).toBe(false);
    expect(await prisma.roundProvider.count({ where: { roundId: round.id } })).toBe(36);
    const good = parseProviderList(
      await readRows(
        await xlsx([
          ["序号", "服务商名称", "联系人", "联系电话"],
          [1, "甲公司", "张三", "13800000000"],
        ]),
        "a.xlsx",
      ),
    );
    if (!good.ok) throw new Error("expected a valid list");
    await importRoundList(null, round.id, { kind: "providers", entries: good.entries });
    expect(await prisma.roundProvider.findMany({ where: { roundId: round.id }, select: { name: true } })).toEqual([
      { name: "甲公司" },
    ]);
    const audit = await prisma.auditEntry.findFirstOrThrow({
      where: { action: "round.import_providers", entityId: round.id },
      orderBy: { id: "desc" },
    });
    expect(audit.before).toEqual({ count: 36 });
    expect(audit.after).toEqual({ count: 1 });
  });
});
