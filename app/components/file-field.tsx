import type { FieldMetadata } from "@conform-to/react";

import { ErrorList } from "./forms.tsx";

export type KeptFile = { id: string; fileName: string };

/**
 * A file input whose upload survives a refused form: the stored file's id and name ride along in
 * hidden fields (`<field>`, `<name>FileName`), so the user does not choose it again. The server reads
 * them with keptFile (app/services/multipart.server.ts).
 */
export function FileField({
  name,
  label,
  field,
  kept,
}: {
  /** The file input's name (the upload field given to parseFormWithUploads). */
  name: string;
  label: string;
  /** The form field that holds the stored file's id. */
  field: FieldMetadata<string>;
  kept: KeptFile | null;
}) {
  const errorId = field.errors ? `${name}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      {kept ? (
        <p className="notice notice--success" id={`${name}-kept`}>
          已上传：{kept.fileName}（如需更换，请重新选择文件）
        </p>
      ) : null}
      <input type="hidden" name={field.name} value={kept?.id ?? ""} />
      <input type="hidden" name={`${name}FileName`} value={kept?.fileName ?? ""} />
      <input
        id={name}
        name={name}
        type="file"
        accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
        aria-invalid={errorId ? true : undefined}
        aria-describedby={errorId}
      />
      <ErrorList id={errorId} errors={field.errors} />
    </div>
  );
}

/** In the browser, a chosen (not yet uploaded) file satisfies its field: `inputs` maps file input → id field. */
export function withChosenFiles(formData: FormData, inputs: Record<string, string>): FormData {
  const copy = new FormData();
  for (const [key, value] of formData) copy.append(key, value);
  for (const [input, field] of Object.entries(inputs)) {
    const chosen = formData.get(input);
    if (chosen instanceof File && chosen.size > 0 && !formData.get(field)) copy.set(field, "chosen");
  }
  return copy;
}
