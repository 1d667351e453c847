/**
 * Reading a page's form: a body that cannot be read as a form (broken multipart, cut short) and text
 * with NUL characters (PostgreSQL cannot store them) are the sender's mistakes, answered with a Chinese
 * 400 page, never a 500. Bodies of other types never get here (scripts/request-errors.ts: 415).
 */
export const BROKEN_FORM_MESSAGE = "提交的表单内容不完整或格式有误，请返回页面重新填写并提交。";
export const NUL_MESSAGE = "提交的内容含有无法保存的控制字符（NUL），请删除后重新提交。";

/** A 400 the page's error boundary shows in Chinese. */
export function badForm(message = BROKEN_FORM_MESSAGE): Response {
  return new Response(message, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** Throws a 400 when a text field of the form holds a NUL character. */
export function refuseNulCharacters(formData: FormData): FormData {
  for (const [, value] of formData) {
    if (typeof value === "string" && value.includes("\u0000")) throw badForm(NUL_MESSAGE);
    if (typeof value !== "string" && value.name.includes("\u0000")) throw badForm(NUL_MESSAGE);
  }
  return formData;
}

/** `request.formData()`, with a broken body or a NUL character answered by a 400. */
export async function readFormData(request: Request): Promise<FormData> {
  let formData: FormData;
  try {
    formData = await request.formData();
  } catch {
    throw badForm();
  }
  return refuseNulCharacters(formData);
}
