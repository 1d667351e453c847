-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "suspendedAt" TIMESTAMP(3),
ADD COLUMN     "suspendedById" TEXT,
ADD COLUMN     "suspendedReason" TEXT;

-- AlterTable
ALTER TABLE "Round" ADD COLUMN     "paperCopiesRequired" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Application" ADD COLUMN     "copyFlagClearance" TEXT,
ADD COLUMN     "payoutAmountFen" INTEGER;

-- CreateTable
CREATE TABLE "ProviderSummaryTable" (
    "id" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "applicationIds" JSONB NOT NULL,
    "digest" TEXT NOT NULL,
    "generatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "generatedById" TEXT,
    "fileId" TEXT,
    "uploadedAt" TIMESTAMP(3),
    "uploadedById" TEXT,

    CONSTRAINT "ProviderSummaryTable_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ProviderSummaryTable_fileId_key" ON "ProviderSummaryTable"("fileId");

-- CreateIndex
CREATE INDEX "ProviderSummaryTable_organisationId_roundId_generatedAt_idx" ON "ProviderSummaryTable"("organisationId", "roundId", "generatedAt");

-- AddForeignKey
ALTER TABLE "ProviderSummaryTable" ADD CONSTRAINT "ProviderSummaryTable_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProviderSummaryTable" ADD CONSTRAINT "ProviderSummaryTable_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProviderSummaryTable" ADD CONSTRAINT "ProviderSummaryTable_fileId_fkey" FOREIGN KEY ("fileId") REFERENCES "StoredFile"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Data: the 2022 round and the demo round require the paper copies before 受理 (README decision "Paper copies").
UPDATE "Round" SET "paperCopiesRequired" = true WHERE "code" = '2022' OR "isDemo";

-- Data (R-PAY-1): the payout of every result already confirmed as passed, with its round's cap as it stands.
UPDATE "Application" a SET "payoutAmountFen" = LEAST(a."contractAmountFen", r."perEnterpriseCapFen")
FROM "Round" r
WHERE a."roundId" = r."id" AND a."resultPassed" = true AND a."resultConfirmedAt" IS NOT NULL;

-- Data (M7): the latest per-application 汇总表 of each provider and round becomes its provider-level
-- table, listing the provider's applications created up to that upload (a later one makes it stale).
-- The per-application rows stay: they are what each application was filed with.
WITH latest AS (
  SELECT DISTINCT ON (a."organisationId", a."roundId")
    a."organisationId", a."roundId", m."fileId", m."createdAt", f."uploadedById"
  FROM "ApplicationMaterial" m
  JOIN "Application" a ON a."id" = m."applicationId"
  JOIN "StoredFile" f ON f."id" = m."fileId"
  WHERE m."material" = 'M7' AND m."removedAt" IS NULL
  ORDER BY a."organisationId", a."roundId", m."createdAt" DESC, m."id" DESC
),
covered AS (
  SELECT l."organisationId", l."roundId", l."fileId", l."createdAt", l."uploadedById",
    jsonb_agg(a."id" ORDER BY a."id") AS ids,
    string_agg(a."id", E'\n' ORDER BY a."id") AS joined
  FROM latest l
  JOIN "Application" a ON a."organisationId" = l."organisationId" AND a."roundId" = l."roundId" AND a."createdAt" <= l."createdAt"
  GROUP BY l."organisationId", l."roundId", l."fileId", l."createdAt", l."uploadedById"
)
INSERT INTO "ProviderSummaryTable" ("id", "organisationId", "roundId", "applicationIds", "digest", "generatedAt", "generatedById", "fileId", "uploadedAt", "uploadedById")
SELECT 'm7' || replace(gen_random_uuid()::text, '-', ''), c."organisationId", c."roundId", c."ids",
  encode(sha256(convert_to(c."joined", 'UTF8')), 'hex'), c."createdAt", c."uploadedById", c."fileId", c."createdAt", c."uploadedById"
FROM covered c
ON CONFLICT ("fileId") DO NOTHING;
