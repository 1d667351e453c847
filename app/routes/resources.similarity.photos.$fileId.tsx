import type { LoaderFunctionArgs } from "@remix-run/node";

import { canReadFile, openStoredFile } from "~/models/stored-file.server.ts";
import { storedFileHeaders } from "~/utils/security-headers.server.ts";
import { requireUser } from "~/utils/session.server.ts";

/**
 * R-REV-3: a site photo shown in the copy check. Who may see it is the one file rule (canReadFile):
 * staff see any; an expert the photos of the applications assigned to it, after declaring no conflict,
 * and the other photo of each of their photo pairs (the evidence); never a removed photo.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff", "approver", "expert"] });
  const fileId = params.fileId ?? "";
  if (!(await canReadFile(user, fileId))) throw new Response("您没有权限查看该照片。", { status: 403 });
  const opened = await openStoredFile(fileId);
  if (!opened || !opened.file.contentType.startsWith("image/")) throw new Response("照片不存在。", { status: 404 });
  return new Response(opened.body, { headers: storedFileHeaders(opened.file, { download: false }) });
}
