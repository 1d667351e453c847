/**
 * M9 诊断报告真实性承诺书: the authenticity pledge the provider and the diagnosed enterprise both sign
 * and seal (policy, 四、申报材料（五）). The portal prints it pre-filled; the signed scan is uploaded back.
 */
import { type DocumentSpec, renderDocument } from "~/services/pdf.server.ts";

export type PledgeParty = { name: string; creditCode: string };

export type PledgeData = {
  /** e.g. "2022年智能化改造咨询诊断工程专项资金补助项目" */
  roundName: string;
  provider: PledgeParty;
  enterprise: PledgeParty;
  /** Title of the diagnosis report (M8), printed in 《》. */
  reportTitle: string;
  /** The portal's application number, when the application has one. */
  applicationNumber?: string;
  /** The district; default 张店区. */
  district?: string;
  /** Who the pledge is addressed to; default `${district}工业和信息化局`. */
  bureauName?: string;
};

export function pledgeSpec(data: PledgeData): DocumentSpec {
  const district = data.district ?? "张店区";
  const bureau = data.bureauName ?? `${district}工业和信息化局`;
  const items = [
    { key: "服务商名称", value: data.provider.name },
    { key: "服务商统一社会信用代码", value: data.provider.creditCode },
    { key: "被诊断企业名称", value: data.enterprise.name },
    { key: "被诊断企业统一社会信用代码", value: data.enterprise.creditCode },
    { key: "诊断报告名称", value: `《${data.reportTitle}》` },
  ];
  if (data.applicationNumber) items.push({ key: "申报编号", value: data.applicationNumber });

  const pledges = [
    "一、所提交的全部申报材料（包括营业执照复印件、现场诊断咨询会签到表、书面调研问卷、现场调研照片、诊断合同、被诊断企业汇总表及诊断报告等）真实、准确、完整，复印件与原件一致并均已加盖企业公章，不存在虚构、伪造、变造或隐瞒重要事实的情形。",
    "二、服务商已按照诊断合同约定为被诊断企业提供智能化改造“一对一”入户诊断服务，现场调研、诊断咨询会等诊断过程真实发生，诊断报告内容客观反映被诊断企业的实际情况。",
    "三、诊断报告已经被诊断企业审阅，并由被诊断企业签字盖章确认。",
    "四、诊断报告由服务商针对被诊断企业独立编制，不存在借机推销自身产品和解决方案、误导企业的情形，不存在抄袭或与其他诊断报告明显雷同的情形。",
    `五、服务商注册地在${district}，运行管理规范、经营状态正常、财务制度健全、信用记录良好；被诊断企业为依法设立登记、实际经营地和财税户管地均在${district}的民营制造业企业。`,
    "六、承诺双方对上述承诺内容的真实性负责。如有虚假陈述或违反上述承诺的行为，承诺双方自愿承担相应法律责任，服务商退回已获拨付的补助资金，并接受主管部门依法依规作出的处理。",
  ];

  return {
    title: "诊断报告真实性承诺书",
    subject: `${data.roundName} 真实性承诺书 ${data.enterprise.name}`,
    blocks: [
      { type: "title", text: "诊断报告真实性承诺书", subtitle: data.roundName },
      { type: "paragraph", text: `${bureau}：`, spaceAfter: 4 },
      { type: "keyValue", items, keyWidth: 0.32, size: 10.5 },
      {
        type: "paragraph",
        indent: true,
        text: `上述服务商与被诊断企业（以下简称“承诺双方”）就申报${data.roundName}所提交的诊断报告及全部申报材料，共同郑重承诺如下：`,
      },
      ...pledges.map((text) => ({ type: "paragraph" as const, indent: true, text, spaceAfter: 2 })),
      { type: "paragraph", indent: true, text: "特此承诺。" },
      {
        type: "signatures",
        parties: [
          {
            lines: [
              `服务商（盖章）：\n${data.provider.name}`,
              "法定代表人或授权代表（签字）：________",
              "日期：____年__月__日",
            ],
          },
          {
            lines: [
              `被诊断企业（盖章）：\n${data.enterprise.name}`,
              "法定代表人或授权代表（签字）：________",
              "日期：____年__月__日",
            ],
          },
        ],
      },
    ],
  };
}

/** The pre-filled pledge as a PDF. */
export function buildPledge(data: PledgeData): Promise<Uint8Array> {
  return renderDocument(pledgeSpec(data));
}
