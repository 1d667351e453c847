import type { LoaderFunctionArgs } from "@remix-run/node";

import { summaryTablePdf } from "~/models/application-documents.server.ts";
import { currentRound } from "~/models/round.server.ts";
import { requireVerifiedProvider } from "~/utils/session.server.ts";

/** M7: the provider's summary table of diagnosed enterprises in the current round, for sealing. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireVerifiedProvider(request);
  const round = await currentRound();
  if (!round) throw new Response("当前没有申报批次。", { status: 404 });
  const pdf = await summaryTablePdf(
    { userId: user.id, userName: user.name, organisationId: user.organisation.id },
    round.id,
  );
  return new Response(Buffer.from(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent("被诊断企业汇总表.pdf")}`,
      "Cache-Control": "private, no-store",
    },
  });
}
