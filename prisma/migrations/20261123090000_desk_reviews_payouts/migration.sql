-- Staff desk (formal review, supplement, experts, assignments), expert reviews and payout batches.
-- Generated with: prisma migrate diff --from-schema-datamodel <previous schema> --to-schema-datamodel prisma/schema.prisma --script

-- CreateEnum
CREATE TYPE "ScoreAggregation" AS ENUM ('mean', 'median');

-- CreateEnum
CREATE TYPE "MaterialVerdict" AS ENUM ('accepted', 'rejected');

-- CreateEnum
CREATE TYPE "ConflictKind" AS ENUM ('provider', 'enterprise');

-- CreateEnum
CREATE TYPE "ReviewStatus" AS ENUM ('draft', 'submitted');

-- CreateEnum
CREATE TYPE "PayoutBatchStatus" AS ENUM ('prepared', 'returned', 'approved', 'paid');

-- AlterTable
ALTER TABLE "Round" ADD COLUMN     "allowHalfPoints" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "noticeClosesAt" TIMESTAMP(3),
ADD COLUMN     "noticeObjectionText" TEXT,
ADD COLUMN     "noticeOpensAt" TIMESTAMP(3),
ADD COLUMN     "reviewDeadline" TIMESTAMP(3),
ADD COLUMN     "reviewsPerApplication" INTEGER NOT NULL DEFAULT 3,
ADD COLUMN     "scoreAggregation" "ScoreAggregation" NOT NULL DEFAULT 'mean',
ADD COLUMN     "similarityThreshold" DOUBLE PRECISION NOT NULL DEFAULT 0.5;

-- AlterTable
ALTER TABLE "Application" ADD COLUMN     "acceptedAt" TIMESTAMP(3),
ADD COLUMN     "finalScoreHundredths" INTEGER,
ADD COLUMN     "paperCopiesReceivedBy" TEXT,
ADD COLUMN     "paperCopiesReceivedOn" TEXT,
ADD COLUMN     "payoutBatchId" TEXT,
ADD COLUMN     "refusalReason" TEXT,
ADD COLUMN     "resultConfirmedAt" TIMESTAMP(3),
ADD COLUMN     "resultConfirmedById" TEXT,
ADD COLUMN     "resultPassed" BOOLEAN,
ADD COLUMN     "resultReasons" JSONB,
ADD COLUMN     "reviewCycle" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "supplementDueAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "MaterialReview" (
    "id" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "cycle" INTEGER NOT NULL,
    "material" TEXT NOT NULL,
    "verdict" "MaterialVerdict" NOT NULL,
    "reason" TEXT,
    "reviewedById" TEXT NOT NULL,
    "reviewedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MaterialReview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SupplementNotice" (
    "id" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "cycle" INTEGER NOT NULL,
    "items" JSONB NOT NULL,
    "note" TEXT,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "issuedById" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resubmittedAt" TIMESTAMP(3),

    CONSTRAINT "SupplementNotice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExpertProfile" (
    "userId" TEXT NOT NULL,
    "field" TEXT,
    "organisationName" TEXT,
    "conflictsDeclaredAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ExpertProfile_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "ExpertConflict" (
    "id" TEXT NOT NULL,
    "expertId" TEXT NOT NULL,
    "kind" "ConflictKind" NOT NULL,
    "partyName" TEXT NOT NULL,
    "note" TEXT,
    "declaredBy" TEXT NOT NULL,
    "recordedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExpertConflict_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExpertAssignment" (
    "id" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "expertId" TEXT NOT NULL,
    "assignedById" TEXT NOT NULL,
    "assignedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "noConflictConfirmedAt" TIMESTAMP(3),
    "withdrawnAt" TIMESTAMP(3),
    "withdrawnReason" TEXT,

    CONSTRAINT "ExpertAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Review" (
    "id" TEXT NOT NULL,
    "assignmentId" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "expertId" TEXT NOT NULL,
    "status" "ReviewStatus" NOT NULL DEFAULT 'draft',
    "materialsComplete" BOOLEAN,
    "materialsNote" TEXT,
    "basicsHalfPoints" INTEGER,
    "basicsComment" TEXT,
    "recommendationsHalfPoints" INTEGER,
    "recommendationsComment" TEXT,
    "estimatesHalfPoints" INTEGER,
    "estimatesComment" TEXT,
    "deduction" BOOLEAN NOT NULL DEFAULT false,
    "deductionReason" TEXT,
    "veto" BOOLEAN NOT NULL DEFAULT false,
    "vetoEvidence" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "submittedAt" TIMESTAMP(3),
    "reopenedAt" TIMESTAMP(3),
    "reopenReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Review_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PayoutBatch" (
    "id" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "status" "PayoutBatchStatus" NOT NULL DEFAULT 'prepared',
    "preparedById" TEXT NOT NULL,
    "preparedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "returnedById" TEXT,
    "returnedAt" TIMESTAMP(3),
    "returnedReason" TEXT,
    "approvedById" TEXT,
    "approvedAt" TIMESTAMP(3),
    "digest" TEXT,
    "totalFen" INTEGER NOT NULL DEFAULT 0,
    "paidOn" TEXT,
    "voucherRef" TEXT,
    "paidRecordedById" TEXT,
    "paidRecordedAt" TIMESTAMP(3),
    "correctsBatchId" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PayoutBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PayoutLine" (
    "id" TEXT NOT NULL,
    "batchId" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "applicationNo" TEXT NOT NULL,
    "providerName" TEXT NOT NULL,
    "enterpriseName" TEXT NOT NULL,
    "contractFen" INTEGER NOT NULL,
    "amountFen" INTEGER NOT NULL,

    CONSTRAINT "PayoutLine_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "MaterialReview_applicationId_cycle_material_key" ON "MaterialReview"("applicationId", "cycle", "material");

-- CreateIndex
CREATE UNIQUE INDEX "SupplementNotice_applicationId_cycle_key" ON "SupplementNotice"("applicationId", "cycle");

-- CreateIndex
CREATE UNIQUE INDEX "ExpertConflict_expertId_kind_partyName_key" ON "ExpertConflict"("expertId", "kind", "partyName");

-- CreateIndex
CREATE INDEX "ExpertAssignment_expertId_idx" ON "ExpertAssignment"("expertId");

-- CreateIndex
CREATE UNIQUE INDEX "ExpertAssignment_applicationId_expertId_key" ON "ExpertAssignment"("applicationId", "expertId");

-- CreateIndex
CREATE UNIQUE INDEX "Review_assignmentId_key" ON "Review"("assignmentId");

-- CreateIndex
CREATE INDEX "Review_applicationId_idx" ON "Review"("applicationId");

-- CreateIndex
CREATE INDEX "Review_expertId_idx" ON "Review"("expertId");

-- CreateIndex
CREATE UNIQUE INDEX "PayoutBatch_number_key" ON "PayoutBatch"("number");

-- CreateIndex
CREATE INDEX "PayoutBatch_roundId_idx" ON "PayoutBatch"("roundId");

-- CreateIndex
CREATE INDEX "PayoutLine_applicationId_idx" ON "PayoutLine"("applicationId");

-- CreateIndex
CREATE UNIQUE INDEX "PayoutLine_batchId_applicationId_key" ON "PayoutLine"("batchId", "applicationId");

-- CreateIndex
CREATE INDEX "Application_roundId_submittedAt_idx" ON "Application"("roundId", "submittedAt");

-- CreateIndex
CREATE INDEX "Application_payoutBatchId_idx" ON "Application"("payoutBatchId");

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_payoutBatchId_fkey" FOREIGN KEY ("payoutBatchId") REFERENCES "PayoutBatch"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MaterialReview" ADD CONSTRAINT "MaterialReview_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SupplementNotice" ADD CONSTRAINT "SupplementNotice_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExpertProfile" ADD CONSTRAINT "ExpertProfile_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExpertConflict" ADD CONSTRAINT "ExpertConflict_expertId_fkey" FOREIGN KEY ("expertId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExpertAssignment" ADD CONSTRAINT "ExpertAssignment_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExpertAssignment" ADD CONSTRAINT "ExpertAssignment_expertId_fkey" FOREIGN KEY ("expertId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "ExpertAssignment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayoutBatch" ADD CONSTRAINT "PayoutBatch_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayoutBatch" ADD CONSTRAINT "PayoutBatch_correctsBatchId_fkey" FOREIGN KEY ("correctsBatchId") REFERENCES "PayoutBatch"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayoutLine" ADD CONSTRAINT "PayoutLine_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "PayoutBatch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayoutLine" ADD CONSTRAINT "PayoutLine_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

