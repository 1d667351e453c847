import { describe, expect, it } from "vitest";

import {
  checkAccept,
  checkRefuse,
  checkResubmit,
  checkReturn,
  defaultSupplementDueOn,
  materialsToJudge,
  mayChangeMaterial,
  noticeError,
  noticeItemsFrom,
  noticeMaterials,
  noticeText,
  QUICK_REJECTION_REASONS,
  rejectionReason,
  type Verdict,
  verdictError,
} from "./formal-review.ts";
import { MATERIAL_IDS } from "./materials.ts";

const all = [...MATERIAL_IDS];
const allAccepted: Verdict[] = all.map((material) => ({ material, verdict: "accepted", reason: null }));
const withRejected = (material: (typeof all)[number], reason: string | null): Verdict[] =>
  allAccepted.map((v) => (v.material === material ? { material, verdict: "rejected", reason } : v));
const now = new Date("2022-12-01T02:00:00Z");

describe("formal review (R-MAT-1, R-MAT-2)", () => {
  it("R-MAT-2 accepts only when every current material is judged and accepted", () => {
    expect(checkAccept(all, allAccepted).ok).toBe(true);
    const missing = checkAccept(all, allAccepted.slice(1));
    expect(missing).toEqual({
      ok: false,
      error: { field: "verdicts", unjudged: ["M1"], message: expect.stringContaining("M1") },
    });
    const rejected = checkAccept(all, withRejected("M2", "缺少公章"));
    expect(rejected.ok).toBe(false);
  });

  it("R-MAT-1 returns with one itemised notice listing every rejection and the general note", () => {
    const verdicts = withRejected("M2", "缺少公章").map((v) =>
      v.material === "M8" ? { ...v, verdict: "rejected" as const, reason: "无法辨认" } : v,
    );
    const result = checkReturn({
      present: all,
      verdicts,
      dueAt: new Date("2022-12-08T15:59:59Z"),
      now,
      note: " 请一并核对 ",
    });
    expect(result).toEqual({
      ok: true,
      value: [
        { material: "M2", reason: "缺少公章" },
        { material: "M8", reason: "无法辨认" },
        { material: "general", reason: "请一并核对" },
      ],
    });
    if (result.ok)
      expect(noticeText(result.value)).toBe(
        "1. M2 被诊断企业营业执照复印件：缺少公章\n2. M8 诊断报告原件：无法辨认\n3. 其他说明：请一并核对",
      );
  });

  it("a return needs all verdicts, a rejection with a reason, and a deadline in the future", () => {
    const due = new Date("2022-12-08T15:59:59Z");
    expect(checkReturn({ present: all, verdicts: allAccepted.slice(2), dueAt: due, now }).ok).toBe(false);
    expect(checkReturn({ present: all, verdicts: allAccepted, dueAt: due, now })).toMatchObject({
      ok: false,
      error: { field: "verdicts" },
    });
    expect(checkReturn({ present: all, verdicts: withRejected("M3", " "), dueAt: due, now })).toMatchObject({
      ok: false,
      error: { field: "reason", material: "M3" },
    });
    expect(checkReturn({ present: all, verdicts: withRejected("M3", "内容不全"), dueAt: null, now })).toMatchObject({
      ok: false,
      error: { field: "dueAt" },
    });
    expect(
      checkReturn({
        present: all,
        verdicts: withRejected("M3", "内容不全"),
        dueAt: new Date("2022-12-01T01:59:59Z"),
        now,
      }),
    ).toMatchObject({
      ok: false,
      error: { field: "dueAt", message: "补正截止日期必须晚于当前时间" },
    });
  });

  it("the default supplement deadline is 5 working days later (weekends skipped)", () => {
    // 2022-12-01 is a Thursday: Fri 2, Mon 5, Tue 6, Wed 7, Thu 8.
    expect(defaultSupplementDueOn("2022-12-01")).toBe("2022-12-08");
  });

  it("一次性告知: a later cycle judges only what is not yet accepted; an earlier acceptance cannot be rejected again", () => {
    expect(materialsToJudge(all, ["M1", "M3", "M4", "M5", "M6", "M7", "M8", "M9"])).toEqual(["M2"]);
    const base = { material: "M2" as const, verdict: "rejected" as const, reason: "缺少公章" };
    expect(verdictError({ ...base, acceptedInEarlierCycle: true })).toMatchObject({
      field: "material",
      material: "M2",
      message: expect.stringMatching(/一次性告知/),
    });
    expect(verdictError({ ...base, acceptedInEarlierCycle: false })).toBeNull();
    expect(verdictError({ ...base, reason: " ", acceptedInEarlierCycle: false })).toMatchObject({
      field: "reason",
      material: "M2",
    });
    expect(verdictError({ ...base, verdict: "accepted", acceptedInEarlierCycle: true })).toBeNull();
    // Cycle 2: M2 was rejected and replaced; M4 was accepted in cycle 1 and may not be named now.
    const cycle2: Verdict[] = [
      { material: "M2", verdict: "accepted", reason: null },
      { material: "M4", verdict: "rejected", reason: "文件错误" },
    ];
    const acceptedEarlier = all.filter((m) => m !== "M2");
    const result = checkReturn({
      present: ["M2"],
      verdicts: cycle2,
      dueAt: new Date("2022-12-08T15:59:59Z"),
      now,
      acceptedEarlier,
    });
    expect(result).toMatchObject({
      ok: false,
      error: { field: "material", material: "M4", message: expect.stringMatching(/一次性告知/) },
    });
    expect(checkAccept(["M2"], cycle2, acceptedEarlier)).toMatchObject({ ok: false, error: { material: "M4" } });
    expect(checkAccept(["M2"], [{ material: "M2", verdict: "accepted", reason: null }], acceptedEarlier).ok).toBe(true);
    // The replaced M2 rejected again is a fair second notice (it is a new file).
    expect(
      checkReturn({
        present: ["M2"],
        verdicts: [{ material: "M2", verdict: "rejected", reason: "无法辨认" }],
        dueAt: new Date("2022-12-08T15:59:59Z"),
        now,
        acceptedEarlier,
      }).ok,
    ).toBe(true);
  });

  it("一次性告知: a notice names exactly the materials rejected now, never one accepted earlier or not rejected", () => {
    const context = { rejectedNow: ["M2", "M8"] as const, acceptedEarlier: ["M1"] as const };
    const ok = [
      { material: "M2", reason: "缺少公章" },
      { material: "M8", reason: "无法辨认" },
      { material: "general", reason: "请核对" },
    ] as const;
    expect(
      noticeError(ok, { rejectedNow: [...context.rejectedNow], acceptedEarlier: [...context.acceptedEarlier] }),
    ).toBeNull();
    expect(
      noticeError([...ok, { material: "M1", reason: "缺少公章" }], {
        rejectedNow: ["M2", "M8"],
        acceptedEarlier: ["M1"],
      }),
    ).toMatchObject({ material: "M1", message: expect.stringMatching(/一次性告知/) });
    expect(
      noticeError([...ok, { material: "M4", reason: "文件错误" }], { rejectedNow: ["M2", "M8"], acceptedEarlier: [] }),
    ).toMatchObject({ material: "M4", message: expect.stringMatching(/未被判为不合格/) });
    expect(
      noticeError([{ material: "M2", reason: "缺少公章" }], { rejectedNow: ["M2", "M8"], acceptedEarlier: [] }),
    ).toMatchObject({ material: "M8", message: expect.stringMatching(/一次列明/) });
  });

  it("R-MAT-1 the rejection reason joins the quick reasons and free text; stored notices read back", () => {
    expect(QUICK_REJECTION_REASONS).toEqual(["缺少公章", "无法辨认", "文件错误"]);
    expect(rejectionReason(["缺少公章"], " 第2页 ")).toBe("缺少公章；第2页");
    expect(rejectionReason([], "  ")).toBeNull();
    const items = noticeItemsFrom([
      { material: "M2", reason: "缺少公章" },
      { material: "general", reason: "x" },
      { material: "M99", reason: "y" },
      3,
    ]);
    expect(items).toEqual([
      { material: "M2", reason: "缺少公章" },
      { material: "general", reason: "x" },
    ]);
    expect(noticeMaterials(items)).toEqual(["M2"]);
  });

  it("refusal needs a reason", () => {
    expect(checkRefuse("  ")).toMatchObject({ ok: false, error: { field: "reason" } });
    expect(checkRefuse(" 企业不在名单内 ")).toEqual({ ok: true, value: "企业不在名单内" });
  });
});

describe("supplement (补正)", () => {
  it("a returned application may change only its rejected materials; submitted and later nothing", () => {
    expect(mayChangeMaterial("draft", [], "M4")).toBe(true);
    expect(mayChangeMaterial("returned", ["M2"], "M2")).toBe(true);
    expect(mayChangeMaterial("returned", ["M2"], "M4")).toBe(false);
    for (const status of ["submitted", "accepted", "refused", "under_review", "passed"])
      expect(mayChangeMaterial(status, ["M2"], "M2")).toBe(false);
  });

  it("resubmission only before the deadline (server clock) and with every rejected material replaced", () => {
    const dueAt = new Date("2022-12-08T15:59:59.999Z");
    expect(checkResubmit({ now, dueAt, rejected: ["M2", "M8"], replaced: ["M2", "M8"] }).ok).toBe(true);
    expect(checkResubmit({ now, dueAt, rejected: ["M2", "M8"], replaced: ["M2"] })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining("M8") },
    });
    expect(checkResubmit({ now: dueAt, dueAt, rejected: ["M2"], replaced: ["M2"] }).ok).toBe(true);
    expect(
      checkResubmit({ now: new Date(dueAt.getTime() + 1), dueAt, rejected: ["M2"], replaced: ["M2"] }),
    ).toMatchObject({ ok: false, error: { field: "dueAt" } });
  });
});
