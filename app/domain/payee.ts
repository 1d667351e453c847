/**
 * The payee account (收款账户) a provider's subsidy is paid to (R-PAY-3: what the finance bureau needs
 * to pay). A change of account is the classic payment-fraud path, so it is never trusted until staff
 * have checked it against the account proof.
 */

export type PayeeAccount = {
  /** 开户名称: must be the organisation itself. */
  accountName: string;
  /** 开户银行, e.g. 中国工商银行淄博张店支行. */
  bankName: string;
  /** 银行账号: digits only, as normalised by normaliseAccountNumber. */
  accountNumber: string;
};

/**
 * R-PAY-3: the account held in an organisation's (or a payout line's) three payee columns; null unless
 * all three are filled in.
 */
export function payeeAccountOf(org: {
  payeeAccountName: string | null;
  payeeBankName: string | null;
  payeeAccountNumber: string | null;
}): PayeeAccount | null {
  if (!org.payeeAccountName || !org.payeeBankName || !org.payeeAccountNumber) return null;
  return { accountName: org.payeeAccountName, bankName: org.payeeBankName, accountNumber: org.payeeAccountNumber };
}

export type AccountNumberCheck = { ok: true; accountNumber: string } | { ok: false; message: string };

/**
 * A bank account number as entered: spaces and hyphens (as printed on cards and proofs) are dropped;
 * what remains must be 8 to 30 digits (Chinese corporate accounts are 12–25 digits; the range is kept
 * wide for older passbook numbers).
 */
export function normaliseAccountNumber(input: string): AccountNumberCheck {
  const compact = input.replace(/[\s\u3000-]/g, "");
  if (compact === "") return { ok: false, message: "请输入银行账号" };
  if (!/^\d+$/.test(compact)) return { ok: false, message: "银行账号只能由数字组成" };
  if (compact.length < 8 || compact.length > 30) return { ok: false, message: "银行账号应为 8 至 30 位数字" };
  return { ok: true, accountNumber: compact };
}

/** The account number with all but its last four digits hidden, for mail (e.g. ****1234). */
export function maskAccountNumber(accountNumber: string): string {
  const tail = accountNumber.slice(-4);
  return `${"*".repeat(Math.max(4, accountNumber.length - 4))}${tail}`;
}

/** The account number in groups of four, for reading aloud and for the payout documents. */
export function groupAccountNumber(accountNumber: string): string {
  return accountNumber.replace(/(\d{4})(?=\d)/g, "$1 ");
}

export type PayeeState = "missing" | "pending" | "verified";

/** Whether an organisation's account may be paid to: entered, and checked by staff since its last change. */
export function payeeState(org: { payeeAccountNumber: string | null; payeeVerifiedAt: Date | null }): PayeeState {
  if (!org.payeeAccountNumber) return "missing";
  return org.payeeVerifiedAt ? "verified" : "pending";
}

export const PAYEE_STATES = {
  missing: "未登记收款账户",
  pending: "收款账户待工信局核验",
  verified: "收款账户已核验",
} as const satisfies Record<PayeeState, string>;

/** Whether two accounts are the same (the name and bank compared without surrounding spaces). */
export function samePayee(a: PayeeAccount | null, b: PayeeAccount | null): boolean {
  if (!a || !b) return a === b;
  return (
    a.accountName.trim() === b.accountName.trim() &&
    a.bankName.trim() === b.bankName.trim() &&
    a.accountNumber === b.accountNumber
  );
}
