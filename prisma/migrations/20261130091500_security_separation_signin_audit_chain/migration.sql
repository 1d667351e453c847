-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'admin';

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "createdById" TEXT;

-- AlterTable
ALTER TABLE "AuditEntry" ADD COLUMN     "hash" TEXT,
ADD COLUMN     "prevHash" TEXT;

-- CreateTable
CREATE TABLE "LoginThrottle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "windowStartedAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LoginThrottle_pkey" PRIMARY KEY ("key")
);

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- R-PAY-3: who invited each existing account, from the record.
UPDATE "User" u SET "createdById" = a."actorId"
FROM "AuditEntry" a
WHERE a.action = 'user.invite' AND a."entityType" = 'user' AND a."entityId" = u.id
  AND a."actorId" IS NOT NULL AND a."actorId" <> u.id AND EXISTS (SELECT 1 FROM "User" c WHERE c.id = a."actorId");

-- R-LOG-1: every audit entry carries a hash chaining it to the previous one. The hash covers every field
-- of the entry and the previous entry's hash; it is computed by the database in the inserting transaction.
-- quote_nullable keeps NULL and '' apart; jsonb's text form is canonical; the instant is taken in ms.
CREATE FUNCTION audit_entry_hash(e "AuditEntry") RETURNS text AS $$
  SELECT encode(sha256(convert_to(concat_ws(',',
    quote_nullable(e.id::text),
    quote_nullable(((extract(epoch FROM e.at) * 1000)::bigint)::text),
    quote_nullable(e."actorId"),
    quote_nullable(e."actorName"),
    quote_nullable(e.action),
    quote_nullable(e."entityType"),
    quote_nullable(e."entityId"),
    quote_nullable(e.before::text),
    quote_nullable(e.after::text),
    quote_nullable(e.reason),
    quote_nullable(e."prevHash")), 'UTF8')), 'hex')
$$ LANGUAGE sql IMMUTABLE;

-- Inserts are serialised by a transaction-scoped advisory lock (held to commit), and the id is taken
-- after the lock, so ids follow the chain even when transactions commit out of order.
CREATE FUNCTION audit_entry_chain() RETURNS trigger AS $$
DECLARE
  previous text;
BEGIN
  PERFORM pg_advisory_xact_lock(7262001001);
  NEW.id := nextval(pg_get_serial_sequence('"AuditEntry"', 'id'));
  SELECT hash INTO previous FROM "AuditEntry" ORDER BY id DESC LIMIT 1;
  NEW."prevHash" := previous;
  NEW.hash := audit_entry_hash(NEW);
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- Entries written before this migration are chained once, in id order.
ALTER TABLE "AuditEntry" DISABLE TRIGGER "AuditEntry_no_update_delete";
DO $$
DECLARE
  entry "AuditEntry";
  previous text := NULL;
BEGIN
  FOR entry IN SELECT * FROM "AuditEntry" ORDER BY id LOOP
    entry."prevHash" := previous;
    previous := audit_entry_hash(entry);
    UPDATE "AuditEntry" SET "prevHash" = entry."prevHash", hash = previous WHERE id = entry.id;
  END LOOP;
END;
$$;
ALTER TABLE "AuditEntry" ENABLE TRIGGER "AuditEntry_no_update_delete";

CREATE TRIGGER "AuditEntry_chain" BEFORE INSERT ON "AuditEntry"
  FOR EACH ROW EXECUTE FUNCTION audit_entry_chain();
