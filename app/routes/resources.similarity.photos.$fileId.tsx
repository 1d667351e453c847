import type { LoaderFunctionArgs } from "@remix-run/node";
import { canViewSimilarityPhoto } from "~/models/similarity.server.ts";
import { openStoredFile } from "~/models/stored-file.server.ts";
import { requireUser } from "~/utils/session.server.ts";

/**
 * R-REV-3: a site photo shown in the copy check. Staff see any; an expert sees the photos of the
 * applications assigned to it and the other photo of each of its photo pairs (the evidence), nothing else.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: ["staff", "approver", "expert"] });
  const fileId = params.fileId ?? "";
  if (!(await canViewSimilarityPhoto(user, fileId))) throw new Response("您没有权限查看该照片。", { status: 403 });
  const opened = await openStoredFile(fileId);
  if (!opened || !opened.file.contentType.startsWith("image/")) throw new Response("照片不存在。", { status: 404 });
  return new Response(opened.body, {
    headers: {
      "Content-Type": opened.file.contentType,
      "Content-Length": String(opened.file.size),
      "Content-Disposition": `inline; filename*=UTF-8''${encodeURIComponent(opened.file.fileName)}`,
      "Cache-Control": "private, max-age=3600",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
