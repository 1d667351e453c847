-- AlterEnum
ALTER TYPE "AnalysisStatus" ADD VALUE 'ocr';

-- AlterTable
ALTER TABLE "ReportText" ADD COLUMN     "layout" JSONB,
ADD COLUMN     "method" TEXT,
ADD COLUMN     "ocrConfidence" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "ReportTextCache" (
    "sha256" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "layout" JSONB NOT NULL,
    "method" TEXT NOT NULL,
    "pages" INTEGER NOT NULL,
    "ocrPages" INTEGER NOT NULL,
    "ocrConfidence" DOUBLE PRECISION,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportTextCache_pkey" PRIMARY KEY ("sha256")
);

-- CreateTable
CREATE TABLE "OcrPage" (
    "id" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "fileId" TEXT NOT NULL,
    "page" INTEGER NOT NULL,
    "pages" INTEGER NOT NULL,
    "status" "AnalysisStatus" NOT NULL DEFAULT 'pending',
    "claimedAt" TIMESTAMP(3),
    "lines" JSONB,
    "confidence" DOUBLE PRECISION,
    "seconds" DOUBLE PRECISION,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" TIMESTAMP(3),

    CONSTRAINT "OcrPage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OcrPage_status_idx" ON "OcrPage"("status");

-- CreateIndex
CREATE UNIQUE INDEX "OcrPage_sha256_page_key" ON "OcrPage"("sha256", "page");

