import type { LoaderFunctionArgs } from "@remix-run/node";

import { canReadFile, openStoredFile } from "~/models/stored-file.server.ts";
import { storedFileHeaders } from "~/utils/security-headers.server.ts";
import { requireUser } from "~/utils/session.server.ts";

/** Serves a stored file to those allowed to read it (canReadFile); inline for previews, as an attachment on ?download. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const fileId = params.fileId ?? "";
  if (!(await canReadFile(user, fileId))) throw new Response("您没有权限查看该文件。", { status: 403 });
  const opened = await openStoredFile(fileId);
  if (!opened) throw new Response("文件不存在。", { status: 404 });
  const download = new URL(request.url).searchParams.has("download");
  return new Response(opened.body, { headers: storedFileHeaders(opened.file, { download }) });
}
