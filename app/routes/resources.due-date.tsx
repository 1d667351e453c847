import type { LoaderFunctionArgs } from "@remix-run/node";

import { completionCheck } from "~/domain/workdays.ts";
import { requireUser } from "~/utils/session.server.ts";

/**
 * R-DATE-2 computed on the server: the holiday package gives wrong answers in time zones west of UTC,
 * so the browser never computes due dates itself; it asks here (the server runs in Asia/Shanghai).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const url = new URL(request.url);
  const signed = url.searchParams.get("signed") ?? "";
  const completed = url.searchParams.get("completed") ?? "";
  return Response.json(completionCheck(signed, completed));
}
