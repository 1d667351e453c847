/**
 * The documents the portal generates for an application: the authenticity pledge (M9), the provider's
 * summary table (M7) and the submission receipt (提交回执). Data comes from the provider's own records.
 */
import { isMaterialId, MATERIALS } from "~/domain/materials.ts";
import { fenToYuanString, sumFen } from "~/domain/money.ts";
import { formatShanghai } from "~/domain/shanghai-time.ts";
import { buildPledge } from "~/services/documents/pledge.server.ts";
import { buildReceipt } from "~/services/documents/receipt.server.ts";
import { buildSummaryTable } from "~/services/documents/summary-table.server.ts";
import { db } from "~/utils/db.server.ts";

import type { OwnApplication, ProviderScope } from "./application.server.ts";
import { recordSummaryGeneration } from "./summary-table.server.ts";

const amount = (fen: number) => ({ amountFen: fen, amountText: fenToYuanString(fen) });

export function pledgePdf(application: OwnApplication) {
  return buildPledge({
    roundName: application.round.name,
    provider: { name: application.organisation.name, creditCode: application.organisation.uscc },
    enterprise: { name: application.enterprise.name, creditCode: application.enterpriseUscc },
    reportTitle: application.reportTitle,
    applicationNumber: application.number,
  });
}

/** M7: the provider's table of the round, generated from all its applications there; the generation is recorded. */
export async function summaryTablePdf(scope: ProviderScope, roundId: string) {
  const prisma = await db();
  const generation = await recordSummaryGeneration(scope, roundId);
  const [organisation, round, applications] = await Promise.all([
    prisma.organisation.findUniqueOrThrow({ where: { id: scope.organisationId } }),
    prisma.round.findUniqueOrThrow({ where: { id: roundId } }),
    prisma.application.findMany({
      where: { organisationId: scope.organisationId, roundId },
      orderBy: { number: "asc" },
      include: { enterprise: { select: { name: true } } },
    }),
  ]);
  return buildSummaryTable({
    roundName: round.name,
    provider: { name: organisation.name, creditCode: organisation.uscc },
    applications: applications.map((a) => ({
      enterpriseName: a.enterprise.name,
      enterpriseCreditCode: a.enterpriseUscc,
      contractAmount: amount(a.contractAmountFen),
      contractSignedOn: a.contractSignedOn,
      diagnosisCompletedOn: a.diagnosisCompletedOn,
      reportTitle: a.reportTitle,
    })),
    totalContractAmount: amount(sumFen(applications.map((a) => a.contractAmountFen))),
    generatedAt: formatShanghai(generation.generatedAt),
    checkCode: generation.checkCode,
  });
}

export function receiptPdf(application: OwnApplication, submittedAt: Date) {
  return buildReceipt({
    applicationNumber: application.number,
    roundName: application.round.name,
    provider: { name: application.organisation.name, creditCode: application.organisation.uscc },
    enterprise: { name: application.enterprise.name, creditCode: application.enterpriseUscc },
    submittedAt: `${formatShanghai(submittedAt, true)}（北京时间）`,
    files: application.materials.map((m) => ({
      material: isMaterialId(m.material) ? `${m.material} ${MATERIALS[m.material].name}` : m.material,
      fileName: m.file.fileName,
      sha256: m.file.sha256,
    })),
  });
}
