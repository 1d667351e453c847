-- AlterTable
ALTER TABLE "ReportText" ADD COLUMN     "allHashes" BYTEA,
ADD COLUMN     "indexHashes" INTEGER,
ADD COLUMN     "seq" SERIAL NOT NULL;

-- CreateTable
CREATE TABLE "ReportFingerprint" (
    "hash" INTEGER NOT NULL,
    "report" INTEGER NOT NULL,

    CONSTRAINT "ReportFingerprint_pkey" PRIMARY KEY ("hash","report")
);

-- CreateIndex
CREATE UNIQUE INDEX "ReportText_seq_key" ON "ReportText"("seq");

-- AddForeignKey
ALTER TABLE "ReportFingerprint" ADD CONSTRAINT "ReportFingerprint_report_fkey" FOREIGN KEY ("report") REFERENCES "ReportText"("seq") ON DELETE CASCADE ON UPDATE CASCADE;

