/**
 * The demo round's live desk: applications in every status of the state machine (draft → paid, returned,
 * refused, failed by score and by veto), reviews in draft and submitted, three payout batches (prepared,
 * approved, paid), an open public notice and a flagged copy pair (report and photo). Used by `npm start`
 * with DEMO=1 (scripts/server.ts) and by the browser walk (tests/e2e/walk.spec.ts).
 *
 * Everything is made through the portal's own models and services (create, upload, submit, formal
 * review, assignment, review, result confirmation, payout, notice, the copy check), so the scenario stays
 * valid as the rules change: a rule that refuses a step makes loading fail loudly. The one exception is
 * 评审完成 (reviewed), a status no model stops at (confirming a result passes through it): it is set with
 * the state machine's transition and its own audit entry.
 *
 * The demo accounts see it: the demo provider owns most applications, the demo expert reviews them,
 * the demo staff prepared the batches and the demo approver approved them. A second demo organisation
 * and two more experts (no password: they cannot log in) make the rest. Mail the scenario writes is kept
 * in the outbox as "skipped", never sent (the demo addresses are fictitious).
 *
 * Idempotent: runs once, while the demo round has no application.
 */
import sharp from "sharp";

import { transition } from "../app/domain/application-status.ts";
import { MATERIAL_IDS, type MaterialId } from "../app/domain/materials.ts";
import type { ReviewInput } from "../app/domain/scoring.ts";
import { shanghaiDate } from "../app/domain/shanghai-time.ts";
import { isValidUscc } from "../app/domain/uscc.ts";
import {
  attachMaterial,
  createApplication,
  type ProviderScope,
  submitApplication,
} from "../app/models/application.server.ts";
import { addAssignment, saveAssignmentSettings } from "../app/models/assignment.server.ts";
import { recordAudit } from "../app/models/audit.server.ts";
import { declareConflicts } from "../app/models/expert.server.ts";
import { decideFormalReview, recordPaperCopies } from "../app/models/formal-review.server.ts";
import { approveBatch, markBatchPaid, prepareBatch } from "../app/models/payout-batch.server.ts";
import { saveNoticeSettings } from "../app/models/public-notice.server.ts";
import { confirmNoConflict, saveReview } from "../app/models/review.server.ts";
import { confirmResults } from "../app/models/review-result.server.ts";
import { saveUpload } from "../app/models/stored-file.server.ts";
import { recordSummaryGeneration, uploadSummaryTable } from "../app/models/summary-table.server.ts";
import { renderDocument } from "../app/services/pdf.server.ts";
import { drainSimilarity } from "../app/services/similarity.server.ts";
import { now } from "../app/utils/clock.server.ts";
import type { Db } from "../app/utils/db.server.ts";
import { deriveCopy, makeOriginal, mulberry32, render } from "../scripts/similarity-corpus.ts";
import { DEMO_ROUND_NAME, seedLists } from "./seed.server.ts";

const DAY = 24 * 3600 * 1000;

/** What the scenario names, for the walk and for anyone reading the demo. */
export const DEMO_SCENARIO = {
  secondProvider: { email: "provider2@demo.local", name: "演示-第二服务商联系人" },
  experts: [
    { email: "expert2@demo.local", name: "演示-评审专家乙", organisationName: "演示-工业设计研究院" },
    { email: "expert3@demo.local", name: "演示-评审专家丙", organisationName: "演示-自动化学会" },
  ],
} as const;

type Status =
  | "draft"
  | "submitted"
  | "returned"
  | "accepted"
  | "refused"
  | "under_review"
  | "reviewed"
  | "passed"
  | "failed_score"
  | "failed_veto"
  | "in_batch"
  | "approved"
  | "paid";

/** One application per status; `second`: filed by the second demo organisation. Enterprises 30..42 of the list. */
const PLAN: { status: Status; second?: boolean; amountYuan: number }[] = [
  { status: "draft", amountYuan: 12_000 },
  { status: "submitted", amountYuan: 9_800 },
  { status: "returned", amountYuan: 15_000 },
  { status: "accepted", amountYuan: 10_000 },
  { status: "refused", second: true, amountYuan: 8_000 },
  { status: "under_review", amountYuan: 11_000 },
  { status: "reviewed", second: true, amountYuan: 10_500 },
  { status: "passed", amountYuan: 13_000 },
  { status: "failed_score", amountYuan: 9_000 },
  { status: "failed_veto", second: true, amountYuan: 11_000 },
  { status: "in_batch", amountYuan: 10_000 },
  { status: "approved", amountYuan: 12_500 },
  { status: "paid", amountYuan: 9_600 },
];
/** R-REV-3: the vetoed application's report and workshop photo are copies of the one under review. */
const COPY_OF: Partial<Record<Status, Status>> = { failed_veto: "under_review" };

function uscc(seq: number): string {
  const body = `91370303MA3DM${String(seq).padStart(4, "0")}`;
  for (const c of "0123456789ABCDEFGHJKLMNPQRTUWXY") if (isValidUscc(body + c)) return body + c;
  throw new Error("no check character");
}

function must<T extends { ok: boolean }>(step: string, outcome: T): asserts outcome is Extract<T, { ok: true }> {
  if (!outcome.ok) throw new Error(`demo scenario: ${step} refused: ${JSON.stringify(outcome)}`);
}

/**
 * A photo-like image with structure (waves under large seeded blocks, as tests/utils/similarity-fixtures.ts
 * makes them), so a perceptual hash tells the demo's photos apart from each other and from the tests'
 * (seeds from 7000 up, which no test uses).
 */
async function photo(seed: number): Promise<Buffer> {
  const s = 7000 + seed;
  const [w, h] = [320, 240];
  const raw = Buffer.alloc(w * h * 3);
  const a = 11 + (s % 17);
  const b = 19 + ((s * 7) % 23);
  const rng = mulberry32(s * 7919 + 17);
  const blocks = Array.from({ length: 48 }, () => Math.round(rng() * 200) - 100);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const u = (x / w) * 480;
      const v = (y / h) * 360;
      const shift = blocks[Math.floor((y / h) * 6) * 8 + Math.floor((x / w) * 8)] ?? 0;
      const wave = [
        128 + 100 * Math.sin(u / a + v / (b + 9) + s),
        128 + 100 * Math.cos(u / (b + 3) - v / a),
        128 + 100 * Math.sin((u + v) / (a + b) + s * 0.7),
      ];
      for (let c = 0; c < 3; c++) raw[i + c] = Math.max(0, Math.min(255, (wave[c] ?? 0) * 0.25 + 96 + shift));
    }
  }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer();
}

async function reportPdf(text: string): Promise<Uint8Array> {
  return renderDocument({
    title: "智能化改造评估诊断报告",
    blocks: text
      .split(/\r?\n/)
      .filter((line) => line.trim() !== "")
      .map((line) => ({ type: "paragraph" as const, text: line })),
  });
}

function review(total: "good" | "low", options: { veto?: string } = {}): ReviewInput {
  const [basics, recommendations, estimates] = total === "good" ? [25, 33, 24] : [12, 16, 10];
  return {
    materialsComplete: true,
    sections: {
      basics: { score: basics, comment: "企业基本情况调研较充分，现状描述清楚。" },
      recommendations: { score: recommendations, comment: "改造建议针对性较强，但部分环节论证不足。" },
      estimates: { score: estimates, comment: "投资与效益测算基本合理。" },
    },
    deduction: false,
    veto: options.veto !== undefined,
    vetoEvidence: options.veto ?? null,
  };
}

export async function loadDemoScenario(
  prisma: Db,
  options: { log?: (line: string) => void } = {},
): Promise<{ loaded: boolean }> {
  const log = options.log ?? (() => {});
  const round = await prisma.round.findUnique({
    where: { name: DEMO_ROUND_NAME },
    select: { id: true, _count: { select: { applications: true } } },
  });
  if (!round || round._count.applications > 0) return { loaded: false };
  const started = Date.now();
  const outboxBefore = new Set((await prisma.outboxMessage.findMany({ select: { id: true } })).map((m) => m.id));

  const user = (email: string) =>
    prisma.user.findUniqueOrThrow({
      where: { email },
      select: { id: true, name: true, roles: true, email: true, organisationId: true },
    });
  const [staff, approver, expert, provider] = await Promise.all(
    ["staff@demo.local", "approver@demo.local", "expert@demo.local", "provider@demo.local"].map(user),
  );
  if (!staff || !approver || !expert || !provider?.organisationId)
    throw new Error("demo scenario: the demo accounts are missing");

  // The second demo organisation (the second provider of the round's list) and two more experts.
  const secondName = seedLists().providers[1]?.name ?? "演示第二服务商";
  const secondOrg = await prisma.organisation.create({
    data: {
      name: secondName,
      uscc: uscc(9999),
      contactName: DEMO_SCENARIO.secondProvider.name,
      contactPhone: "13800000001",
      contactEmail: DEMO_SCENARIO.secondProvider.email,
      status: "verified",
      registeredInZhangdianConfirmed: true,
      goodStandingDeclaredAt: now(),
      verifiedAt: now(),
      isDemo: true,
    },
  });
  const second = await prisma.user.create({
    data: {
      email: DEMO_SCENARIO.secondProvider.email,
      name: DEMO_SCENARIO.secondProvider.name,
      roles: ["provider"],
      organisationId: secondOrg.id,
      isDemo: true,
    },
  });
  const experts = [expert];
  for (const e of DEMO_SCENARIO.experts) {
    const created = await prisma.user.create({
      data: {
        email: e.email,
        name: e.name,
        roles: ["expert"],
        isDemo: true,
        expertProfile: { create: { field: "智能制造", organisationName: e.organisationName } },
      },
      select: { id: true, name: true, roles: true, email: true, organisationId: true },
    });
    experts.push(created);
  }
  // R-REV-5: every expert declares its conflicts (none) before reviewing.
  for (const e of experts) await declareConflicts(e, []);
  await saveAssignmentSettings(staff, round.id, {
    reviewsPerApplication: 3,
    reviewDeadline: new Date(now().getTime() + 21 * DAY),
  });

  // R-PAY-3: both demo providers have a payee account, checked by staff (their own organisation's account).
  for (const [n, id] of [provider.organisationId, secondOrg.id].entries()) {
    const org = await prisma.organisation.findUniqueOrThrow({ where: { id }, select: { name: true } });
    await prisma.organisation.update({
      where: { id },
      data: {
        payeeAccountName: org.name,
        payeeBankName: "中国工商银行淄博张店支行",
        payeeAccountNumber: `160300000920000${String(1000 + n)}`,
        payeeChangedAt: now(),
        payeeVerifiedAt: now(),
        payeeVerifiedById: staff.id,
      },
    });
  }

  const scopes: Record<"first" | "second", ProviderScope> = {
    first: { userId: provider.id, userName: provider.name, organisationId: provider.organisationId },
    second: { userId: second.id, userName: second.name, organisationId: secondOrg.id },
  };
  const enterprises = await prisma.roundEnterprise.findMany({
    where: { roundId: round.id, seq: { gte: 30 } },
    orderBy: { seq: "asc" },
  });
  const today = shanghaiDate(now());
  const daysAgo = (n: number) => shanghaiDate(new Date(now().getTime() - n * DAY));
  const material = await renderDocument({
    title: "申报材料",
    blocks: [{ type: "paragraph", text: "演示用申报材料（复印件已加盖公章）。" }],
  });

  // Reports: an original per application; the vetoed one is a copy of the one under review.
  const texts = new Map<Status, string>();
  const pool = [[{ id: 9_100_000, text: "按照企业出题、专家答题、政府助力的工作思路开展诊断服务。" }]];
  PLAN.forEach((p, i) => {
    const rng = mulberry32(4242 + i);
    texts.set(p.status, render(rng, makeOriginal(rng, 900, i, pool)));
  });
  const copySource = PLAN.findIndex((p) => p.status === "under_review");
  {
    const rng = mulberry32(4242 + copySource);
    const original = makeOriginal(rng, 900, copySource, pool);
    texts.set("under_review", render(rng, original));
    texts.set("failed_veto", render(rng, deriveCopy(rng, original, "names_swapped", pool)));
  }

  const ids = new Map<Status, string>();
  for (const [i, p] of PLAN.entries()) {
    const enterprise = enterprises[i];
    if (!enterprise) throw new Error("demo scenario: too few enterprises in the demo round");
    const scope = p.second ? scopes.second : scopes.first;
    const created = await createApplication(scope, {
      roundId: round.id,
      enterpriseId: enterprise.id,
      enterpriseUscc: uscc(enterprise.seq),
      reportTitle: `${enterprise.name}智能化改造评估诊断报告`,
      contractAmountFen: p.amountYuan * 100,
      contractSignedOn: daysAgo(70),
      diagnosisCompletedOn: daysAgo(50),
    });
    must("create", created);
    ids.set(p.status, created.id);
  }

  // R-MAT-2: each provider's summary table (M7) of all its applications in the round, signed and uploaded once.
  for (const scope of [scopes.first, scopes.second]) {
    await recordSummaryGeneration(scope, round.id);
    const table = await saveUpload({
      body: (async function* () {
        yield material;
      })(),
      fileName: "被诊断企业汇总表（盖章）.pdf",
      purpose: "materials",
      uploadedById: scope.userId,
    });
    must("summary table", await uploadSummaryTable(scope, round.id, table.id));
  }

  // Then each application's way to its status, all at once (they touch different rows).
  await Promise.all(
    PLAN.map(async (p, i) => {
      const scope = p.second ? scopes.second : scopes.first;
      const created = { id: ids.get(p.status) ?? "" };
      const upload = async (m: MaterialId, fileName: string, bytes: Uint8Array, tag: "workshop" | "team" | null) => {
        const file = await saveUpload({
          body: (async function* () {
            yield bytes;
          })(),
          fileName,
          purpose: "materials",
          uploadedById: scope.userId,
        });
        await attachMaterial(scope, created.id, m, file.id, tag);
      };
      const source = COPY_OF[p.status];
      const photoSeed = source ? PLAN.findIndex((q) => q.status === source) : i;
      for (const m of MATERIAL_IDS) {
        if (p.status === "draft" && (m === "M8" || m === "M9")) continue; // a draft still missing two materials
        if (m === "M7") continue; // one summary table per provider and round, uploaded below
        if (m === "M5") {
          await upload(m, "车间现场.jpg", await photo(photoSeed + 1), "workshop");
          await upload(m, "诊断小组.jpg", await photo(100 + i), "team");
        } else if (m === "M8") {
          await upload(m, "诊断报告.pdf", await reportPdf(texts.get(p.status) ?? ""), null);
        } else {
          await upload(m, `${m}.pdf`, material, null);
        }
      }
      if (p.status === "draft") return;

      // Submitted through the model, which makes its receipt, as the provider's page does.
      must("submit", await submitApplication(scope, created.id, { attested: true }));
      if (p.status === "submitted") return;

      const version = async () =>
        (await prisma.application.findUniqueOrThrow({ where: { id: created.id }, select: { version: true } })).version;
      const allAccepted = MATERIAL_IDS.map((m) => ({ material: m, verdict: "accepted" as const, reason: null }));
      if (p.status === "returned") {
        must(
          "return",
          await decideFormalReview(staff, created.id, {
            decision: "return",
            version: await version(),
            verdicts: allAccepted.map((v) =>
              v.material === "M3"
                ? { material: "M3", verdict: "rejected" as const, reason: "签到表缺少被诊断企业参会人员签名" }
                : v,
            ),
            dueOn: shanghaiDate(new Date(now().getTime() + 10 * DAY)),
            note: null,
          }),
        );
        return;
      }
      if (p.status === "refused") {
        must(
          "refuse",
          await decideFormalReview(staff, created.id, {
            decision: "refuse",
            version: await version(),
            reason: "诊断合同签订日期早于本批次申报通知发布日期，不符合申报条件",
          }),
        );
        return;
      }
      // The demo round, as the 2022 one, takes paper copies before 受理.
      must(
        "paper copies",
        await recordPaperCopies(staff, { applicationIds: [created.id], receivedOn: today, receivedBy: staff.name }),
      );
      must(
        "accept",
        await decideFormalReview(staff, created.id, {
          decision: "accept",
          version: await version(),
          verdicts: allAccepted,
        }),
      );
      if (p.status === "accepted") return;

      // R-REV-5: three experts each. Under review: the demo expert's review is a draft, the third has not begun.
      for (const e of experts) must("assign", await addAssignment(staff, created.id, e.id));
      const assignments = await prisma.expertAssignment.findMany({
        where: { applicationId: created.id },
        select: { id: true, expertId: true },
      });
      for (const [n, e] of experts.entries()) {
        const assignment = assignments.find((a) => a.expertId === e.id);
        if (!assignment) throw new Error("demo scenario: assignment missing");
        if (p.status === "under_review" && n === 2) return;
        must("confirm no conflict", await confirmNoConflict(e, assignment.id));
        const mode: "draft" | "submit" = p.status === "under_review" && n === 0 ? "draft" : "submit";
        const vetoed = ids.get("under_review") ?? "";
        const input: ReviewInput =
          p.status === "failed_veto" && n === 1
            ? review("good", {
                veto: `报告正文与申报 ${(await prisma.application.findUniqueOrThrow({ where: { id: vetoed }, select: { number: true } })).number} 的诊断报告大段雷同，车间照片相同`,
              })
            : review(p.status === "failed_score" ? "low" : "good");
        must("review", await saveReview(e, assignment.id, { input, version: 0, mode }));
      }
      if (p.status === "under_review") return;
      if (p.status === "reviewed") {
        // No model stops at 评审完成 (confirming passes through it): the state machine's own step, on the record.
        const moved = transition("under_review", "complete_reviews");
        if (!moved.ok) throw new Error(moved.message);
        await prisma.$transaction(async (tx) => {
          await tx.application.update({
            where: { id: created.id },
            data: { status: moved.to, version: { increment: 1 } },
          });
          await recordAudit(tx, {
            actor: staff,
            action: "application.complete_reviews",
            entityType: "application",
            entityId: created.id,
            before: { status: "under_review" },
            after: { status: moved.to },
          });
        });
      }
    }),
  );

  // R-REV-4: staff confirm the results of the passed and failed ones (not the one left at 评审完成).
  const confirmed: Status[] = ["passed", "failed_score", "failed_veto", "in_batch", "approved", "paid"];
  must(
    "confirm results",
    await confirmResults(staff, round.id, { all: false, applicationIds: confirmed.map((s) => ids.get(s) ?? "") }),
  );

  // 审核通过后公示 (R-PAY-3): the results were confirmed before the notice, which ran its seven days and closed,
  // so batches may be approved. (Demo data: the confirmation is dated back to make that history.)
  await prisma.application.updateMany({
    where: { id: { in: confirmed.map((s) => ids.get(s) ?? "") } },
    data: { resultConfirmedAt: new Date(now().getTime() - 12 * DAY) },
  });
  must(
    "notice",
    await saveNoticeSettings(staff, round.id, {
      opensAt: new Date(now().getTime() - 10 * DAY),
      closesAt: new Date(now().getTime() - 3 * DAY),
      objectionText: "公示期内如有异议，请以书面形式向张店区工业和信息化局反映（演示电话：0533-0000000）。",
    }),
  );

  // R-PAY-3: three batches: paid, approved, prepared.
  const batch = async (status: Status) => {
    const prepared = await prepareBatch(staff, {
      roundId: round.id,
      selection: { all: false, applicationIds: [ids.get(status) ?? ""] },
    });
    must("prepare batch", prepared);
    return prepared;
  };
  const batchVersion = async (id: string) =>
    (await prisma.payoutBatch.findUniqueOrThrow({ where: { id }, select: { version: true } })).version;
  const paid = await batch("paid");
  must("approve", await approveBatch(approver, { batchId: paid.batchId, version: await batchVersion(paid.batchId) }));
  must(
    "mark paid",
    await markBatchPaid(staff, {
      batchId: paid.batchId,
      version: await batchVersion(paid.batchId),
      paidOn: today,
      voucherRef: "演示凭证-0001",
    }),
  );
  const approved = await batch("approved");
  must(
    "approve",
    await approveBatch(approver, { batchId: approved.batchId, version: await batchVersion(approved.batchId) }),
  );
  await batch("in_batch");

  // R-REV-3: the copy check over the submitted reports and photos (flags the copied pair).
  await drainSimilarity(prisma);
  // The scenario's mail is never sent.
  await prisma.outboxMessage.updateMany({
    where: { id: { notIn: [...outboxBefore] }, status: "pending" },
    data: { status: "skipped", lastError: "演示数据，不发送" },
  });
  log(`演示场景已载入：${PLAN.length} 份申报（${Date.now() - started} ms）`);
  return { loaded: true };
}
