import type { ActionFunctionArgs } from "@remix-run/node";

import { isMaterialId, isPhotoTag, MATERIALS } from "~/domain/materials.ts";
import {
  attachMaterial,
  getOwnApplication,
  NotEditableError,
  requireMaterialChangeable,
  SUMMARY_TABLE_ELSEWHERE,
} from "~/models/application.server.ts";
import { saveUpload } from "~/models/stored-file.server.ts";
import {
  StorageUnavailableError,
  streamChunks,
  UploadRejectedError,
  UploadTooLargeError,
} from "~/services/storage.server.ts";
import { requireVerifiedProvider } from "~/utils/session.server.ts";

/**
 * One material file, sent as the raw request body (the browser's upload shows progress per file): the
 * bytes stream into storage, are checked by content (R-MAT-3) and filed as the material. JSON answers.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireVerifiedProvider(request);
  const scope = { userId: user.id, userName: user.name, organisationId: user.organisation.id };
  const url = new URL(request.url);
  const material = url.searchParams.get("material") ?? "";
  const tag = url.searchParams.get("photoTag");
  const id = params.applicationId ?? "";
  const refuse = (error: string, status = 400) => Response.json({ ok: false, error }, { status });
  if (!isMaterialId(material)) return refuse("未知的材料类别。");
  if (material === "M7") return refuse(SUMMARY_TABLE_ELSEWHERE, 409);
  const application = await getOwnApplication(scope, id);
  if (!application) return refuse("申报不存在。", 404);
  if (!request.body) return refuse("没有收到文件内容。");
  let fileName = "未命名文件";
  try {
    fileName = decodeURIComponent(request.headers.get("X-File-Name") ?? "") || fileName;
  } catch {
    // keep the default
  }
  try {
    // Refuse before storing anything: a returned application may change only the materials to supplement.
    await requireMaterialChangeable(scope, id, material);
    const file = await saveUpload({
      body: streamChunks(request.body),
      fileName,
      purpose: "materials",
      uploadedById: user.id,
      accepted: MATERIALS[material].types,
    });
    const row = await attachMaterial(scope, id, material, file.id, tag && isPhotoTag(tag) ? tag : null);
    return Response.json({
      ok: true,
      material: {
        id: row.id,
        fileId: file.id,
        fileName: file.fileName,
        size: file.size,
        sha256: file.sha256,
        contentType: file.contentType,
        photoTag: row.photoTag,
      },
    });
  } catch (error) {
    if (error instanceof UploadTooLargeError) return refuse(error.message, 413);
    if (error instanceof UploadRejectedError) return refuse(error.message);
    if (error instanceof NotEditableError) return refuse(error.message, 409);
    if (error instanceof StorageUnavailableError) return refuse(error.message, 503);
    throw error;
  }
}
