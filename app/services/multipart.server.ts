/**
 * Multipart forms with files: each file streams into storage as it arrives (nothing whole in memory),
 * its metadata row is written, and the form gets the stored file's id in place of the file. A refused
 * file (type by content, size, empty) becomes an error for its field instead of failing the request,
 * so the rest of what the user entered comes back intact.
 */
import {
  MaxPartSizeExceededError,
  unstable_composeUploadHandlers,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";

import { saveUpload } from "~/models/stored-file.server.ts";
import {
  type AcceptedType,
  StorageUnavailableError,
  UploadRejectedError,
  UploadTooLargeError,
} from "~/services/storage.server.ts";
import { badForm, readFormData, replaceNulCharacters } from "~/utils/form-data.server.ts";

export type UploadField = { purpose: "licences" | "materials" | "imports"; accepted?: readonly AcceptedType[] };

export async function parseFormWithUploads(
  request: Request,
  fields: Record<string, UploadField>,
  uploadedById: string | null,
): Promise<{
  formData: FormData;
  uploaded: Record<string, { id: string; fileName: string }>;
  uploadErrors: Record<string, string>;
}> {
  const uploaded: Record<string, { id: string; fileName: string }> = {};
  const uploadErrors: Record<string, string> = {};
  const contentType = request.headers.get("Content-Type") ?? "";
  if (!contentType.startsWith("multipart/form-data")) {
    return { formData: await readFormData(request), uploaded, uploadErrors };
  }
  // An error of ours while storing a file, told apart from a body that is not valid multipart.
  let storing: unknown = null;
  const fileHandler = async ({
    name,
    filename,
    data,
  }: {
    name: string;
    filename?: string;
    data: AsyncIterable<Uint8Array>;
  }) => {
    const field = fields[name];
    if (!field || filename === undefined) return undefined;
    if (filename === "") {
      for await (const _ of data) void _; // an empty file input: nothing chosen
      return undefined;
    }
    try {
      const file = await saveUpload({
        body: data,
        fileName: filename,
        purpose: field.purpose,
        uploadedById,
        accepted: field.accepted,
      });
      uploaded[name] = { id: file.id, fileName: file.fileName };
      return file.id;
    } catch (error) {
      // Over the size limit: 413 at once, without reading the rest (the server closes the connection).
      if (error instanceof UploadTooLargeError) throw new Response(error.message, { status: 413 });
      if (!(error instanceof UploadRejectedError)) {
        storing = error;
        throw error;
      }
      uploadErrors[name] = error.message;
      for await (const _ of data) void _;
      return undefined;
    }
  };
  try {
    const formData = await unstable_parseMultipartFormData(
      request,
      unstable_composeUploadHandlers(fileHandler, unstable_createMemoryUploadHandler({ maxPartSize: 64 * 1024 })),
    );
    return { formData: replaceNulCharacters(formData), uploaded, uploadErrors };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) {
      throw new Response("表单内容过长。", { status: 413 });
    }
    if (error instanceof StorageUnavailableError) throw storageUnavailable(error);
    if (error instanceof Response || (storing !== null && error === storing)) throw error;
    throw badForm();
  }
}

/**
 * The stored file of an upload field: the one uploaded with this request (its id is put in the form as
 * `idField`), else the one kept from an earlier, refused attempt (hidden `idField` and `<name>FileName`,
 * as app/components/file-field.tsx renders them); null when there is none.
 */
export function keptFile(
  formData: FormData,
  uploaded: Record<string, { id: string; fileName: string }>,
  name: string,
  idField: string,
): { id: string; fileName: string } | null {
  const now = uploaded[name];
  if (now) formData.set(idField, now.id);
  const id = String(formData.get(idField) ?? "");
  if (!id) return null;
  return { id, fileName: now?.fileName ?? String(formData.get(`${name}FileName`) ?? "") };
}

/** A 503 with the storage's Chinese message (never the path of the file it could not write). */
export function storageUnavailable(error: StorageUnavailableError): Response {
  return new Response(error.message, { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
