/**
 * R-LOG-1 on PostgreSQL: the portal runs under a role that does not own the tables. Migrations run under
 * the owner (MIGRATION_DATABASE_URL); at every start, after migrating, the owner grants the runtime role
 * (the user of DATABASE_URL) what it needs and no more: on the audit table only SELECT and INSERT, so the
 * runtime can neither change nor delete history nor disable the triggers that refuse it (only an owner
 * may ALTER a table). Idempotent; tables added by later migrations are covered on the next start.
 */
import pg from "pg";

/** The role name of a postgresql:// URL. */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export async function grantRuntimeRole(ownerUrl: string, runtimeRole: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const role = quoteIdentifier(runtimeRole);
    const { rows } = await client.query<{ owner: string }>(
      `SELECT tableowner AS owner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'AuditEntry'`,
    );
    if (rows[0]?.owner === runtimeRole) {
      throw new Error(
        `the runtime role ${runtimeRole} owns the tables: set MIGRATION_DATABASE_URL to the owner and DATABASE_URL to another role`,
      );
    }
    await client.query("BEGIN");
    await client.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    await client.query(`REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "AuditEntry" FROM ${role}`);
    await client.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "_prisma_migrations" FROM ${role}`);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
