-- Applications, their materials and refused enterprise claims (issue: providers file applications).
-- Written to match Prisma's own DDL for the schema (see README, "New migrations").

-- CreateEnum
CREATE TYPE "ApplicationStatus" AS ENUM ('draft', 'submitted', 'returned', 'accepted', 'refused', 'under_review', 'reviewed', 'passed', 'failed', 'in_batch', 'paid');

-- CreateEnum
CREATE TYPE "PhotoTag" AS ENUM ('workshop', 'team', 'other');

-- AlterTable: rounds get a short code for application numbers; existing rounds get one from their year.
ALTER TABLE "Round" ADD COLUMN "applicationSeq" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "code" TEXT;
UPDATE "Round" SET "code" = CASE WHEN "isDemo" THEN 'YS' ELSE "year"::TEXT END || CASE
  WHEN (SELECT count(*) FROM "Round" r2 WHERE r2."year" = "Round"."year" AND r2."isDemo" = "Round"."isDemo") > 1
  THEN '-' || substr("id", length("id") - 3) ELSE '' END;
ALTER TABLE "Round" ALTER COLUMN "code" SET NOT NULL;

-- CreateTable
CREATE TABLE "Application" (
    "id" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "enterpriseId" TEXT NOT NULL,
    "enterpriseUscc" TEXT NOT NULL,
    "eligibilityConfirmedAt" TIMESTAMP(3) NOT NULL,
    "reportTitle" TEXT NOT NULL,
    "contractAmountFen" INTEGER NOT NULL,
    "contractSignedOn" TEXT NOT NULL,
    "diagnosisCompletedOn" TEXT NOT NULL,
    "diagnosisDueOn" TEXT,
    "completionLate" BOOLEAN NOT NULL DEFAULT false,
    "status" "ApplicationStatus" NOT NULL DEFAULT 'draft',
    "version" INTEGER NOT NULL DEFAULT 0,
    "sealAttestedAt" TIMESTAMP(3),
    "submittedAt" TIMESTAMP(3),
    "receiptFileId" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Application_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApplicationMaterial" (
    "id" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "material" TEXT NOT NULL,
    "fileId" TEXT NOT NULL,
    "photoTag" "PhotoTag",
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removedAt" TIMESTAMP(3),

    CONSTRAINT "ApplicationMaterial_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EnterpriseClaimAttempt" (
    "id" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "enterpriseId" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EnterpriseClaimAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Round_code_key" ON "Round"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Application_number_key" ON "Application"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Application_receiptFileId_key" ON "Application"("receiptFileId");

-- CreateIndex
CREATE INDEX "Application_roundId_status_idx" ON "Application"("roundId", "status");

-- CreateIndex
CREATE INDEX "Application_organisationId_roundId_idx" ON "Application"("organisationId", "roundId");

-- CreateIndex
CREATE UNIQUE INDEX "Application_roundId_enterpriseId_key" ON "Application"("roundId", "enterpriseId");

-- CreateIndex
CREATE INDEX "ApplicationMaterial_applicationId_material_idx" ON "ApplicationMaterial"("applicationId", "material");

-- CreateIndex
CREATE INDEX "EnterpriseClaimAttempt_roundId_enterpriseId_idx" ON "EnterpriseClaimAttempt"("roundId", "enterpriseId");

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_enterpriseId_fkey" FOREIGN KEY ("enterpriseId") REFERENCES "RoundEnterprise"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_receiptFileId_fkey" FOREIGN KEY ("receiptFileId") REFERENCES "StoredFile"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApplicationMaterial" ADD CONSTRAINT "ApplicationMaterial_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApplicationMaterial" ADD CONSTRAINT "ApplicationMaterial_fileId_fkey" FOREIGN KEY ("fileId") REFERENCES "StoredFile"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnterpriseClaimAttempt" ADD CONSTRAINT "EnterpriseClaimAttempt_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnterpriseClaimAttempt" ADD CONSTRAINT "EnterpriseClaimAttempt_enterpriseId_fkey" FOREIGN KEY ("enterpriseId") REFERENCES "RoundEnterprise"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnterpriseClaimAttempt" ADD CONSTRAINT "EnterpriseClaimAttempt_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
