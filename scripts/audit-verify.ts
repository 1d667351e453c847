/**
 * `npm run audit:verify` (R-LOG-1): checks the hash chain of the audit record and reports the first
 * broken link; exits 1 if there is one, 0 otherwise. Reads the database the portal is configured for
 * (DATABASE_URL, or the embedded database in DATA_DIR, which must not be in use by a running portal).
 */
import { verifyAuditChain } from "../app/models/audit.server.ts";
import { openDatabase } from "../app/utils/db.server.ts";
import { env } from "../app/utils/env.server.ts";

const handle = await openDatabase({ url: env().DATABASE_URL, dataDir: env().DATA_DIR });
try {
  const report = await verifyAuditChain(handle.client);
  if (report.ok) {
    console.log(`操作记录完整：共 ${report.entries} 条，哈希链无断点。最新哈希 / head: ${report.head ?? "（空）"}`);
    console.log(`RESULT audit_chain=ok entries=${report.entries} head=${report.head ?? ""}`);
  } else {
    console.error(`操作记录哈希链断裂 / audit chain broken: ${report.message}`);
    console.log(`RESULT audit_chain=broken entries_checked=${report.entries} first_broken_id=${report.brokenAt}`);
    process.exitCode = 1;
  }
} finally {
  await handle.close();
}
