-- CreateEnum
CREATE TYPE "AnalysisStatus" AS ENUM ('pending', 'done', 'no_text', 'failed');

-- CreateEnum
CREATE TYPE "SimilarityKind" AS ENUM ('report', 'photo');

-- CreateTable
CREATE TABLE "ReportText" (
    "id" TEXT NOT NULL,
    "fileId" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "status" "AnalysisStatus" NOT NULL DEFAULT 'pending',
    "text" TEXT NOT NULL DEFAULT '',
    "contentLength" INTEGER NOT NULL DEFAULT 0,
    "pages" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "claimedAt" TIMESTAMP(3) NOT NULL,
    "analysedAt" TIMESTAMP(3),

    CONSTRAINT "ReportText_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PhotoFingerprint" (
    "id" TEXT NOT NULL,
    "fileId" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "status" "AnalysisStatus" NOT NULL DEFAULT 'pending',
    "hash" TEXT,
    "takenAtLocal" TEXT,
    "takenOn" TEXT,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "error" TEXT,
    "claimedAt" TIMESTAMP(3) NOT NULL,
    "analysedAt" TIMESTAMP(3),

    CONSTRAINT "PhotoFingerprint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SimilarityMatch" (
    "id" TEXT NOT NULL,
    "kind" "SimilarityKind" NOT NULL,
    "applicationAId" TEXT NOT NULL,
    "fileAId" TEXT NOT NULL,
    "applicationBId" TEXT NOT NULL,
    "fileBId" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "coverageA" DOUBLE PRECISION,
    "coverageB" DOUBLE PRECISION,
    "passages" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SimilarityMatch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ReportText_fileId_key" ON "ReportText"("fileId");

-- CreateIndex
CREATE INDEX "ReportText_applicationId_idx" ON "ReportText"("applicationId");

-- CreateIndex
CREATE INDEX "ReportText_status_idx" ON "ReportText"("status");

-- CreateIndex
CREATE UNIQUE INDEX "PhotoFingerprint_fileId_key" ON "PhotoFingerprint"("fileId");

-- CreateIndex
CREATE INDEX "PhotoFingerprint_applicationId_idx" ON "PhotoFingerprint"("applicationId");

-- CreateIndex
CREATE INDEX "PhotoFingerprint_status_idx" ON "PhotoFingerprint"("status");

-- CreateIndex
CREATE INDEX "SimilarityMatch_applicationAId_idx" ON "SimilarityMatch"("applicationAId");

-- CreateIndex
CREATE INDEX "SimilarityMatch_applicationBId_idx" ON "SimilarityMatch"("applicationBId");

-- CreateIndex
CREATE INDEX "SimilarityMatch_kind_score_idx" ON "SimilarityMatch"("kind", "score");

-- CreateIndex
CREATE UNIQUE INDEX "SimilarityMatch_fileAId_fileBId_key" ON "SimilarityMatch"("fileAId", "fileBId");

-- AddForeignKey
ALTER TABLE "ReportText" ADD CONSTRAINT "ReportText_fileId_fkey" FOREIGN KEY ("fileId") REFERENCES "StoredFile"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportText" ADD CONSTRAINT "ReportText_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PhotoFingerprint" ADD CONSTRAINT "PhotoFingerprint_fileId_fkey" FOREIGN KEY ("fileId") REFERENCES "StoredFile"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PhotoFingerprint" ADD CONSTRAINT "PhotoFingerprint_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SimilarityMatch" ADD CONSTRAINT "SimilarityMatch_applicationAId_fkey" FOREIGN KEY ("applicationAId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SimilarityMatch" ADD CONSTRAINT "SimilarityMatch_applicationBId_fkey" FOREIGN KEY ("applicationBId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

