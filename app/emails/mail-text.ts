/**
 * The texts of the portal's mails: one pure function per mail, in one file per subject area
 * (app/emails/<area>.ts), each taking the facts it needs and returning the subject and body. Models
 * decide when a mail is sent and to whom (enqueueMail in the same transaction as the change); what it
 * says lives here, so it can be read, reviewed and tested in one place without a database.
 */

/** What every mail text function returns. */
export type MailText = { subject: string; text: string };

/** Every subject starts with the portal's name, so a recipient can filter them. */
export const SUBJECT_PREFIX = "【申报平台】";

/** The sender's line at the end of a mail. */
export const SIGNATURE = "张店区工业和信息化局";

export function subject(title: string): string {
  return `${SUBJECT_PREFIX}${title}`;
}
