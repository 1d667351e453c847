/**
 * Reading a page's form: a body that cannot be read as a form (broken multipart, cut short) is the
 * sender's mistake, answered with a Chinese 400 page, never a 500; NUL characters never reach the database. Bodies of other types never get here (scripts/request-errors.ts: 415).
 */
export const BROKEN_FORM_MESSAGE = "提交的表单内容不完整或格式有误，请返回页面重新填写并提交。";

/** A 400 the page's error boundary shows in Chinese. */
export function badForm(message = BROKEN_FORM_MESSAGE): Response {
  return new Response(message, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/**
 * NUL characters (which PostgreSQL cannot store) replaced by U+FFFD: the field validators
 * (app/domain/text.ts) refuse it at the field with a Chinese message, and a field without one can
 * never fail in the database.
 */
export function replaceNulCharacters(formData: FormData): FormData {
  const out = new FormData();
  for (const [name, value] of formData) {
    if (typeof value === "string") out.append(name, value.replaceAll("\u0000", "\uFFFD"));
    else out.append(name, value, value.name.replaceAll("\u0000", "\uFFFD"));
  }
  return out;
}

/** `request.formData()`, a broken body answered by a 400, NUL characters replaced (see above). */
export async function readFormData(request: Request): Promise<FormData> {
  let formData: FormData;
  try {
    formData = await request.formData();
  } catch {
    throw badForm();
  }
  return replaceNulCharacters(formData);
}
