/**
 * Metadata rows for stored objects, and who may read them. Every read goes through canReadFile.
 */
import { createReadableStreamFromReadable } from "@remix-run/node";

import { type AcceptedType, objectStore, storeUpload } from "~/services/storage.server.ts";
import { now } from "~/utils/clock.server.ts";
import { db, type Prisma } from "~/utils/db.server.ts";

/** Streams an upload into the store and records its metadata (R-MAT-3: SHA-256, size, type, uploader, time). */
export async function saveUpload(options: {
  body: AsyncIterable<Uint8Array>;
  fileName: string;
  purpose: "licences" | "materials" | "imports";
  uploadedById: string | null;
  accepted?: readonly AcceptedType[];
}) {
  const stored = await storeUpload(options);
  const prisma = await db();
  return prisma.storedFile.create({
    data: {
      key: stored.key,
      fileName: stored.fileName,
      contentType: stored.contentType,
      size: stored.size,
      sha256: stored.sha256,
      uploadedById: options.uploadedById,
      createdAt: now(),
    },
  });
}

/**
 * The one rule for every stored file a person can fetch (every route that streams a file asks it):
 * - staff and approvers read any file (the record, supplements' old and new versions);
 * - a provider reads its own organisation's licence, receipts and materials not removed;
 * - an expert reads the materials, not removed, of an application assigned to it (not withdrawn) once it
 *   has declared itself free of conflict with it (R-REV-5), and, as evidence, the other photo (not
 *   removed) of a copy-check photo pair involving such an application (R-REV-3);
 * - nobody else reads anything (the system administrator included).
 */
export async function canReadFile(
  user: { id: string; roles: readonly string[]; organisation?: { id: string } | null },
  fileId: string,
): Promise<boolean> {
  if (!fileId) return false;
  if (user.roles.includes("staff") || user.roles.includes("approver")) return true;
  const prisma = await db();
  if (user.roles.includes("provider") && user.organisation) {
    const organisationId = user.organisation.id;
    const [ownLicence, ownMaterial, ownReceipt] = await Promise.all([
      prisma.organisation.count({
        where: { id: organisationId, OR: [{ licenseFileId: fileId }, { payeeProofFileId: fileId }] },
      }),
      prisma.applicationMaterial.count({ where: { fileId, removedAt: null, application: { organisationId } } }),
      prisma.application.count({ where: { receiptFileId: fileId, organisationId } }),
    ]);
    if (ownLicence + ownMaterial + ownReceipt > 0) return true;
  }
  if (user.roles.includes("expert")) {
    const reviewable: Prisma.ApplicationWhereInput = {
      assignments: { some: { expertId: user.id, withdrawnAt: null, noConflictConfirmedAt: { not: null } } },
    };
    const assigned = await prisma.applicationMaterial.count({
      where: { fileId, removedAt: null, application: reviewable },
    });
    if (assigned > 0) return true;
    const live = await prisma.applicationMaterial.count({ where: { fileId, removedAt: null, material: "M5" } });
    if (live === 0) return false;
    const evidence = await prisma.similarityMatch.count({
      where: {
        kind: "photo",
        OR: [
          { fileAId: fileId, applicationB: reviewable },
          { fileBId: fileId, applicationA: reviewable },
        ],
      },
    });
    return evidence > 0;
  }
  return false;
}

export async function openStoredFile(fileId: string) {
  const prisma = await db();
  const file = await prisma.storedFile.findUnique({ where: { id: fileId } });
  if (!file) return null;
  const body = await objectStore().get(file.key);
  return { file, body: createReadableStreamFromReadable(body) };
}
