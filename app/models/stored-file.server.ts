/**
 * Metadata rows for stored objects, and who may read them. Every read goes through canReadFile:
 * a provider only ever reads its own organisation's files; an expert only the materials of the
 * applications assigned to it.
 */
import { createReadableStreamFromReadable } from "@remix-run/node";
import { objectStore, storeUpload, type AcceptedType } from "~/services/storage.server.ts";
import type { SessionUser } from "~/utils/session.server.ts";
import { db } from "~/utils/db.server.ts";
import { now } from "~/utils/clock.server.ts";

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

export async function canReadFile(user: SessionUser, fileId: string): Promise<boolean> {
  if (user.roles.includes("staff") || user.roles.includes("approver")) return true;
  const prisma = await db();
  if (user.roles.includes("provider") && user.organisation) {
    const organisationId = user.organisation.id;
    const [ownLicence, ownMaterial, ownReceipt] = await Promise.all([
      prisma.organisation.count({ where: { id: organisationId, OR: [{ licenseFileId: fileId }, { payeeProofFileId: fileId }] } }),
      prisma.applicationMaterial.count({ where: { fileId, application: { organisationId } } }),
      prisma.application.count({ where: { receiptFileId: fileId, organisationId } }),
    ]);
    if (ownLicence + ownMaterial + ownReceipt > 0) return true;
  }
  // R-REV-5: an expert reads the materials of the applications assigned to it (not withdrawn), once it
  // has confirmed it has no conflict with the provider or the enterprise.
  if (user.roles.includes("expert")) {
    const assigned = await prisma.applicationMaterial.count({
      where: { fileId, removedAt: null, application: { assignments: { some: { expertId: user.id, withdrawnAt: null, noConflictConfirmedAt: { not: null } } } } },
    });
    if (assigned > 0) return true;
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
