import { describe, expect, it } from "vitest";

import { draftReleasedMail, resubmissionMail, submissionReceiptMail } from "./application.ts";
import { SIGNATURE, SUBJECT_PREFIX } from "./mail-text.ts";

const facts = { organisationName: "淄博智诊咨询有限公司", enterpriseName: "张店精工机械有限公司", number: "2023-0007" };
/** 2022-12-21 10:30:05 in Beijing (UTC+8), whatever the machine's time zone. */
const at = new Date("2022-12-21T02:30:05Z");

describe("application mails", () => {
  it("R-MAT-1 the submission receipt names the application and the Beijing time it was submitted", () => {
    const mail = submissionReceiptMail({ ...facts, submittedAt: at });
    expect(mail.subject).toBe(`${SUBJECT_PREFIX}提交回执 2023-0007（张店精工机械有限公司）`);
    expect(mail.text).toBe(
      "淄博智诊咨询有限公司：\n\n贵单位为“张店精工机械有限公司”填报的申报（编号 2023-0007）已于 " +
        "2022-12-21 10:30:05（北京时间）提交成功，提交回执见附件。\n请将纸质材料一式两份报送区工信局。\n" +
        SIGNATURE,
    );
  });

  it("the resubmission confirmation links to the application", () => {
    const mail = resubmissionMail({ ...facts, resubmittedAt: at, link: "https://sb.example/provider/applications/a1" });
    expect(mail.subject).toBe(`${SUBJECT_PREFIX}补正材料已提交 2023-0007（张店精工机械有限公司）`);
    expect(mail.text).toContain("的补正材料已于 2022-12-21 10:30:05（北京时间）重新提交，区工信局将重新进行形式审查。");
    expect(mail.text).toContain("查看申报：https://sb.example/provider/applications/a1\n\n");
    expect(mail.text.endsWith(SIGNATURE)).toBe(true);
  });

  it("R-ELIG-4 a released draft says the enterprise is free and why", () => {
    const mail = draftReleasedMail({ ...facts, reason: "企业已委托其他服务商", link: "https://sb.example/provider" });
    expect(mail.subject).toBe(`${SUBJECT_PREFIX}申报草稿已由区工信局释放 2023-0007（张店精工机械有限公司）`);
    expect(mail.text).toContain("建立的申报草稿（编号 2023-0007）未提交，已由区工信局撤销，该企业可由其他服务商申报。");
    expect(mail.text).toContain("\n原因：企业已委托其他服务商\n");
    expect(mail.text).toContain("https://sb.example/provider\n\n" + SIGNATURE);
  });
});
