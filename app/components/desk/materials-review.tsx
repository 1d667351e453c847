/**
 * Every material with its previews (the provider page's MaterialUploader, read-only), the verdicts of
 * earlier cycles, and — during formal review — the verdict controls of the materials still to judge.
 * The controls belong to the decision form by the `form` attribute, so this section stays separate.
 */
import { ErrorList } from "~/components/forms.tsx";
import { MaterialUploader } from "~/components/material-uploader.tsx";
import { QUICK_REJECTION_REASONS, VERDICT_LABELS } from "~/domain/formal-review.ts";
import type { PhotoTag } from "~/domain/materials.ts";

export const DECISION_FORM_ID = "formal-review";

export type DeskMaterial = {
  id: string;
  name: string;
  multiple: boolean;
  files: {
    rowId: string;
    fileId: string;
    fileName: string;
    contentType: string;
    size: number;
    sha256: string;
    photoTag: PhotoTag | null;
  }[];
  earlierFiles: { fileId: string; fileName: string; uploadedAt: string; removedAt: string | null }[];
  acceptedEarlier: boolean;
  verdicts: { cycle: number; verdict: "accepted" | "rejected"; reason: string | null; reviewedAt: string }[];
};

export function MaterialsReviewSection({
  applicationId,
  materials,
  toJudge,
  reviewing,
  errors,
}: {
  applicationId: string;
  materials: DeskMaterial[];
  toJudge: string[];
  reviewing: boolean;
  errors: Record<string, string>;
}) {
  return (
    <section className="card" aria-labelledby="materials-heading">
      <div className="page-head">
        <h2 id="materials-heading" style={{ margin: 0 }}>
          申报材料{reviewing ? "（形式审查）" : ""}
        </h2>
        {reviewing ? (
          <button
            type="button"
            className="button--secondary button--small"
            onClick={() => {
              for (const id of toJudge) {
                const rejected = document.querySelector<HTMLInputElement>(
                  `input[name="verdict-${id}"][value="rejected"]`,
                );
                const accepted = document.querySelector<HTMLInputElement>(
                  `input[name="verdict-${id}"][value="accepted"]`,
                );
                if (accepted && !rejected?.checked) accepted.checked = true;
              }
            }}
          >
            其余材料均标为合格
          </button>
        ) : null}
      </div>
      <ul className="checklist">
        {materials.map((m) => (
          <li key={m.id} data-testid={`review-${m.id}`}>
            <div className="checklist__head">
              <h3>
                {m.id} {m.name}
              </h3>
              {m.acceptedEarlier ? <span className="badge badge--verified">已在之前的审查中合格</span> : null}
              {m.verdicts.map((v) => (
                <span
                  key={v.cycle}
                  className={`badge ${v.verdict === "accepted" ? "badge--verified" : "badge--refused"}`}
                >
                  第 {v.cycle} 轮：{VERDICT_LABELS[v.verdict]}
                  {v.reason ? `（${v.reason}）` : ""}
                </span>
              ))}
            </div>
            <MaterialUploader
              applicationId={applicationId}
              material={m.id}
              name={m.name}
              multiple={m.multiple}
              accept=""
              files={m.files.map((f) => ({ ...f, id: f.rowId }))}
              editable={false}
              isPhotos={m.id === "M5"}
            />
            {m.files.length === 0 ? <p className="notice notice--error">未上传</p> : null}
            {m.earlierFiles.length > 0 ? (
              <details className="small">
                <summary>历史版本（{m.earlierFiles.length}）</summary>
                <ul>
                  {m.earlierFiles.map((f) => (
                    <li key={f.fileId}>
                      <a href={`/resources/files/${f.fileId}`} target="_blank" rel="noreferrer">
                        {f.fileName}
                      </a>{" "}
                      上传于 {f.uploadedAt}，{f.removedAt} 被替换
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
            {reviewing && toJudge.includes(m.id) ? (
              <VerdictControls material={m.id} name={m.name} error={errors[m.id]} />
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function VerdictControls({ material, name, error }: { material: string; name: string; error?: string }) {
  const errorId = error ? `verdict-${material}-error` : undefined;
  return (
    <fieldset
      className="field"
      style={{ border: 0, padding: 0 }}
      aria-describedby={errorId}
      aria-invalid={error ? true : undefined}
    >
      <legend className="small">
        {material} {name} 审查意见
      </legend>
      <label style={{ marginRight: "1rem" }}>
        <input type="radio" form={DECISION_FORM_ID} name={`verdict-${material}`} value="accepted" /> 合格
      </label>
      <label>
        <input type="radio" form={DECISION_FORM_ID} name={`verdict-${material}`} value="rejected" /> 不合格
      </label>
      <div className="small" style={{ marginTop: "0.4rem" }}>
        不合格原因：
        {QUICK_REJECTION_REASONS.map((reason) => (
          <label key={reason} style={{ marginRight: "0.75rem" }}>
            <input type="checkbox" form={DECISION_FORM_ID} name={`quick-${material}`} value={reason} /> {reason}
          </label>
        ))}
        <input
          type="text"
          form={DECISION_FORM_ID}
          name={`reason-${material}`}
          aria-label={`${material} 不合格原因（其他）`}
          placeholder="其他原因（可选）"
          maxLength={200}
          style={{ maxWidth: 320 }}
        />
      </div>
      <ErrorList id={errorId} errors={error ? [error] : null} />
    </fieldset>
  );
}
