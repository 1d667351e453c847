/** The data the provider entered, the provider, and the R-DATE-2 due date with its flag. */
import { formatFen } from "~/domain/money.ts";

export type ApplicationFacts = {
  number: string;
  roundName: string;
  enterpriseName: string;
  enterpriseUscc: string;
  reportTitle: string;
  contractAmountFen: number;
  contractSignedOn: string;
  diagnosisCompletedOn: string;
  diagnosisDueOn: string | null;
  completionLate: boolean;
  submittedAt: string | null;
  acceptedAt: string | null;
  refusalReason: string | null;
  supplementDueAt: string | null;
  receiptFileId: string | null;
};

export type ProviderFacts = {
  id: string;
  name: string;
  uscc: string;
  contactName: string;
  contactPhone: string;
  contactEmail: string;
};

export function ApplicationFactsSection({
  application,
  provider,
}: {
  application: ApplicationFacts;
  provider: ProviderFacts;
}) {
  return (
    <section className="card" aria-labelledby="facts-heading">
      <h2 id="facts-heading" style={{ marginTop: 0 }}>
        申报信息
      </h2>
      <dl className="facts">
        <dt>申报编号</dt>
        <dd>
          {application.number}（{application.roundName}）
        </dd>
        <dt>服务商</dt>
        <dd>
          <a href={`/staff/providers/${provider.id}`}>{provider.name}</a>（{provider.uscc}）· {provider.contactName}{" "}
          {provider.contactPhone} · {provider.contactEmail}
        </dd>
        <dt>被诊断企业</dt>
        <dd>
          {application.enterpriseName}（{application.enterpriseUscc}）
        </dd>
        <dt>诊断报告名称</dt>
        <dd>{application.reportTitle}</dd>
        <dt>合同金额</dt>
        <dd>{formatFen(application.contractAmountFen)} 元</dd>
        <dt>合同签订 / 诊断完成</dt>
        <dd>
          {application.contractSignedOn} / {application.diagnosisCompletedOn}
        </dd>
        <dt>提交时间</dt>
        <dd>
          {application.submittedAt ?? "未提交"}
          {application.receiptFileId ? (
            <>
              {" "}
              · <a href={`/resources/files/${application.receiptFileId}`}>提交回执</a>
            </>
          ) : null}
        </dd>
        {application.acceptedAt ? (
          <>
            <dt>受理时间</dt>
            <dd>{application.acceptedAt}</dd>
          </>
        ) : null}
        {application.supplementDueAt ? (
          <>
            <dt>补正截止</dt>
            <dd>{application.supplementDueAt}（北京时间）</dd>
          </>
        ) : null}
        {application.refusalReason ? (
          <>
            <dt>不予受理原因</dt>
            <dd>{application.refusalReason}</dd>
          </>
        ) : null}
      </dl>
      {application.diagnosisDueOn === null ? (
        <p className="notice notice--warning" data-testid="due-date">
          节假日日历未覆盖该期间，无法计算诊断到期日，请人工核对。
        </p>
      ) : (
        <p
          className={`notice ${application.completionLate ? "notice--warning" : "notice--info"}`}
          data-testid="due-date"
        >
          诊断应于 {application.diagnosisDueOn} 前完成（合同签订之日起 20 个工作日）。
          {application.completionLate ? (
            <strong> 超期：诊断完成日期 {application.diagnosisCompletedOn} 晚于到期日。</strong>
          ) : (
            " 按期完成。"
          )}
        </p>
      )}
    </section>
  );
}
