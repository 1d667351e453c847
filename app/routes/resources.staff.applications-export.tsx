import type { LoaderFunctionArgs } from "@remix-run/node";

import { parseApplicationListQuery } from "~/domain/application-list.ts";
import { applicationListWorkbook, chooseRound } from "~/models/application-list.server.ts";
import { requireUser } from "~/utils/session.server.ts";

/** The staff's application list with the same search, filters and order as on screen, as .xlsx. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["staff", "approver"] });
  const query = parseApplicationListQuery(new URL(request.url).searchParams);
  const round = await chooseRound(query.round);
  if (!round) throw new Response("当前没有申报批次。", { status: 404 });
  const workbook = await applicationListWorkbook(round.id, query);
  return new Response(new Uint8Array(workbook.bytes), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(workbook.fileName)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
