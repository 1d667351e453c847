/**
 * `npm run admin:create -- <email> <name>`: the first system administrator (系统管理员) of an installation
 * (R-PAY-3: only an administrator grants roles). Prints a single-use link (7 days) to set the password.
 * Run where the portal's configuration is (DATABASE_URL, PUBLIC_URL); on the embedded database, with the
 * portal stopped.
 */
import { createFirstAdministrator, DuplicateEmailError } from "../app/models/user.server.ts";
import { closeDatabase, isUniqueViolation } from "../app/utils/db.server.ts";

const [email, ...nameParts] = process.argv.slice(2);
const name = nameParts.join(" ").trim();
if (!email || !/^[^@\s]+@[^@\s]+$/.test(email) || name.length < 2) {
  console.error("用法 / usage: npm run admin:create -- <email> <姓名>");
  process.exit(2);
}
try {
  const { link } = await createFirstAdministrator({ email, name });
  console.log(`已创建系统管理员 ${email}。请在 7 天内打开以下链接设置密码（仅可使用一次）：\n${link}`);
} catch (error) {
  if (error instanceof DuplicateEmailError || isUniqueViolation(error)) {
    console.error(`该邮箱已有账号：${email}`);
    process.exitCode = 1;
  } else throw error;
} finally {
  await closeDatabase();
}
