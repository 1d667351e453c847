/**
 * What the payout batch commands (payout-batch.server.ts) and queries (payout-batch-queries.server.ts)
 * both need, in one place: whether an application may go into a batch (R-PAY-3), what a passed
 * application is read with, a batch's stored lines and the payee accounts that changed since they were
 * fixed. Not for use outside those two modules.
 */
import { type PayeeAccount, payeeAccountOf, payeeState, samePayee } from "~/domain/payee.ts";
import { type BatchLine, eligibleForBatch, paymentHold } from "~/domain/payout.ts";

type Candidate = {
  status: Parameters<typeof eligibleForBatch>[0]["status"];
  resultPassed: boolean | null;
  resultConfirmedAt: Date | null;
  payoutBatchId: string | null;
  organisation: { payeeAccountNumber: string | null; payeeVerifiedAt: Date | null };
};

/** R-PAY-3: whether an application may go into a batch: eligible, no objection holding it, a verified payee account. */
export function checkCandidate(
  a: Candidate,
  objections: { open: number; upheld: number },
  batch: { fromBatchId?: string | null } = {},
) {
  const fromOriginal = batch.fromBatchId ?? null;
  const movedFromOriginal = a.payoutBatchId !== null && a.payoutBatchId === fromOriginal;
  const check = eligibleForBatch({
    status: movedFromOriginal ? "passed" : a.status,
    passed: a.resultPassed === true,
    resultConfirmed: a.resultConfirmedAt !== null,
    batchId: movedFromOriginal ? null : a.payoutBatchId,
  });
  if (!check.ok) return check;
  return paymentHold({ objections, payee: payeeState(a.organisation) });
}

/** An organisation's payee account and its verification (R-PAY-3), as the payout batches read it. */
export const PAYEE_SELECT = {
  payeeAccountName: true,
  payeeBankName: true,
  payeeAccountNumber: true,
  payeeVerifiedAt: true,
} as const;

export const PASSED_APPLICATION_SELECT = {
  id: true,
  number: true,
  status: true,
  version: true,
  contractAmountFen: true,
  payoutAmountFen: true,
  resultPassed: true,
  resultConfirmedAt: true,
  finalScoreHundredths: true,
  payoutBatchId: true,
  organisationId: true,
  organisation: {
    select: {
      name: true,
      uscc: true,
      ...PAYEE_SELECT,
    },
  },
  enterprise: { select: { name: true } },
  enterpriseUscc: true,
  payoutBatch: { select: { id: true, number: true, status: true } },
} as const;

export type StoredLine = {
  applicationId: string;
  applicationNo: string;
  providerName: string;
  enterpriseName: string;
  amountFen: number;
  payeeAccountName: string | null;
  payeeBankName: string | null;
  payeeAccountNumber: string | null;
};

export function linesOf(batch: { lines: StoredLine[] }): BatchLine[] {
  return batch.lines.map((l) => ({
    applicationId: l.applicationId,
    applicationNo: l.applicationNo,
    providerName: l.providerName,
    enterpriseName: l.enterpriseName,
    amountFen: l.amountFen,
    payee: payeeAccountOf(l),
  }));
}

/**
 * R-PAY-3: the providers whose payee account today differs from the one fixed in the batch (at
 * preparation, covered by the digest at approval), or is awaiting verification: shown on the batch
 * page, refused at approval and payment.
 */
export function payeeChangesOf(
  lines: (StoredLine & {
    application: {
      organisation: {
        payeeAccountName: string | null;
        payeeBankName: string | null;
        payeeAccountNumber: string | null;
        payeeVerifiedAt: Date | null;
      };
    };
  })[],
) {
  const changes = new Map<
    string,
    { providerName: string; inBatch: PayeeAccount | null; current: PayeeAccount | null; verified: boolean }
  >();
  for (const line of lines) {
    const org = line.application.organisation;
    const inBatch = payeeAccountOf(line);
    const current = payeeAccountOf(org);
    const verified = org.payeeVerifiedAt !== null;
    if (samePayee(inBatch, current) && verified) continue;
    changes.set(line.providerName, { providerName: line.providerName, inBatch, current, verified });
  }
  return [...changes.values()];
}
