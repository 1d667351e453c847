-- CreateEnum
CREATE TYPE "ObjectionOutcome" AS ENUM ('upheld', 'dismissed');

-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "payeeAccountName" TEXT,
ADD COLUMN     "payeeAccountNumber" TEXT,
ADD COLUMN     "payeeBankName" TEXT,
ADD COLUMN     "payeeChangedAt" TIMESTAMP(3),
ADD COLUMN     "payeeProofFileId" TEXT,
ADD COLUMN     "payeeVerifiedAt" TIMESTAMP(3),
ADD COLUMN     "payeeVerifiedById" TEXT;

-- AlterTable
ALTER TABLE "PayoutLine" ADD COLUMN     "payeeAccountName" TEXT,
ADD COLUMN     "payeeAccountNumber" TEXT,
ADD COLUMN     "payeeBankName" TEXT;

-- CreateTable
CREATE TABLE "NoticeObjection" (
    "id" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "receivedOn" TEXT NOT NULL,
    "objector" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "recordedById" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "outcome" "ObjectionOutcome",
    "resolution" TEXT,
    "resolvedById" TEXT,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "NoticeObjection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "NoticeObjection_applicationId_idx" ON "NoticeObjection"("applicationId");

-- CreateIndex
CREATE UNIQUE INDEX "Organisation_payeeProofFileId_key" ON "Organisation"("payeeProofFileId");

-- AddForeignKey
ALTER TABLE "Organisation" ADD CONSTRAINT "Organisation_payeeProofFileId_fkey" FOREIGN KEY ("payeeProofFileId") REFERENCES "StoredFile"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoticeObjection" ADD CONSTRAINT "NoticeObjection_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

