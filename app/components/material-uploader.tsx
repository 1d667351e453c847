/**
 * One material's row in the checklist: the files that are there (with previews, photo tags, delete),
 * and — while the application can be edited — drag-and-drop or pick, several files at once where the
 * material allows, each uploaded with its own progress bar. A refused file shows its reason and
 * nothing already uploaded is touched.
 */
import { Form, useRevalidator } from "@remix-run/react";
import { useRef, useState } from "react";

import { FileView } from "~/components/file-view.tsx";
import { PHOTO_TAGS, type PhotoTag } from "~/domain/materials.ts";

export type MaterialFileView = {
  id: string;
  fileId: string;
  fileName: string;
  size: number;
  contentType: string;
  photoTag: PhotoTag | null;
  sha256: string;
};

type Upload = { key: string; name: string; loaded: number; total: number; error: string | null; done: boolean };

function sendFile(
  url: string,
  file: File,
  onProgress: (loaded: number) => void,
): Promise<{ ok: boolean; error?: string }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      try {
        const body: unknown = JSON.parse(xhr.responseText);
        const ok = typeof body === "object" && body !== null && Reflect.get(body, "ok") === true;
        const error = typeof body === "object" && body !== null ? Reflect.get(body, "error") : undefined;
        resolve(
          ok ? { ok: true } : { ok: false, error: typeof error === "string" ? error : `上传失败（${xhr.status}）` },
        );
      } catch {
        resolve({ ok: false, error: xhr.status === 413 ? "文件过大。" : `上传失败（${xhr.status}），请重试。` });
      }
    };
    xhr.onerror = () => resolve({ ok: false, error: "网络错误，上传未完成，请重试。" });
    xhr.send(file);
  });
}

const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

export function MaterialUploader({
  applicationId,
  material,
  name,
  multiple,
  accept,
  files,
  editable,
  isPhotos,
}: {
  applicationId: string;
  material: string;
  name: string;
  multiple: boolean;
  accept: string;
  files: MaterialFileView[];
  editable: boolean;
  isPhotos: boolean;
}) {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [dragging, setDragging] = useState(false);
  const [tag, setTag] = useState<PhotoTag>("workshop");
  const [previewId, setPreviewId] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const revalidator = useRevalidator();

  async function start(chosen: File[]) {
    const list = multiple ? chosen : chosen.slice(0, 1);
    const batch = list.map((file, i) => ({
      key: `${Date.now()}-${i}-${file.name}`,
      name: file.name,
      loaded: 0,
      total: file.size,
      error: null,
      done: false,
    }));
    setUploads((current) => [...current.filter((u) => !u.done || u.error), ...batch]);
    await Promise.all(
      list.map(async (file, i) => {
        const key = batch[i]?.key;
        const params = new URLSearchParams({ material, ...(isPhotos ? { photoTag: tag } : {}) });
        const result = await sendFile(`/resources/applications/${applicationId}/materials?${params}`, file, (loaded) =>
          setUploads((current) => current.map((u) => (u.key === key ? { ...u, loaded } : u))),
        );
        // A refused file's bar goes back to empty: nothing of it was kept.
        setUploads((current) =>
          current.map((u) =>
            u.key === key
              ? {
                  ...u,
                  loaded: result.ok ? u.total : 0,
                  done: true,
                  error: result.ok ? null : (result.error ?? "上传失败"),
                }
              : u,
          ),
        );
      }),
    );
    revalidator.revalidate();
    if (input.current) input.current.value = "";
  }

  return (
    <div className="material" data-testid={`material-${material}`}>
      <ul className="material__files">
        {files.map((f) => (
          <li key={f.id}>
            {f.contentType.startsWith("image/") ? (
              <img className="thumb" src={`/resources/files/${f.fileId}`} alt={f.fileName} loading="lazy" />
            ) : (
              <span className="thumb thumb--pdf">PDF</span>
            )}
            <span className="material__name">
              <a href={`/resources/files/${f.fileId}`} target="_blank" rel="noreferrer">
                {f.fileName}
              </a>{" "}
              <span className="muted small">{sizeText(f.size)}</span>
              {f.contentType === "application/pdf" ? (
                <button
                  type="button"
                  className="link-button small"
                  onClick={() => setPreviewId(previewId === f.id ? null : f.id)}
                >
                  {previewId === f.id ? "收起预览" : "预览"}
                </button>
              ) : null}
            </span>
            {isPhotos ? (
              editable ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="tag" />
                  <input type="hidden" name="rowId" value={f.id} />
                  <select
                    name="photoTag"
                    aria-label={`${f.fileName} 的照片类别`}
                    defaultValue={f.photoTag ?? "other"}
                    onChange={(e) => e.currentTarget.form?.requestSubmit()}
                  >
                    {Object.entries(PHOTO_TAGS).map(([value, label]) => (
                      <option key={value} value={value}>
                        {label}
                      </option>
                    ))}
                  </select>
                </Form>
              ) : (
                <span className="badge">{PHOTO_TAGS[f.photoTag ?? "other"]}</span>
              )
            ) : null}
            {editable ? (
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="remove" />
                <input type="hidden" name="rowId" value={f.id} />
                <button type="submit" className="button--secondary button--small" aria-label={`删除 ${f.fileName}`}>
                  删除
                </button>
              </Form>
            ) : null}
            {previewId === f.id ? (
              <div className="preview" style={{ flexBasis: "100%" }}>
                <FileView fileId={f.fileId} fileName={f.fileName} contentType={f.contentType} />
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {uploads.length > 0 ? (
        <ul className="material__uploads">
          {uploads.map((u) => (
            <li key={u.key}>
              <span>{u.name}</span>
              {u.error ? null : <progress max={u.total || 1} value={u.loaded} aria-label={`${u.name} 上传进度`} />}
              {u.error ? (
                <>
                  <span className="field-errors" role="alert">
                    {u.error}
                  </span>
                  <button
                    type="button"
                    className="link-button small"
                    aria-label={`关闭 ${u.name} 的提示`}
                    onClick={() => setUploads((current) => current.filter((x) => x.key !== u.key))}
                  >
                    关闭
                  </button>
                </>
              ) : u.done ? (
                <span className="muted small">已上传</span>
              ) : (
                <span className="muted small">{Math.round((u.loaded / (u.total || 1)) * 100)}%</span>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {editable ? (
        <div
          className={`dropzone${dragging ? " dropzone--active" : ""}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            void start(Array.from(e.dataTransfer.files));
          }}
        >
          {isPhotos ? (
            <label className="small">
              照片类别{" "}
              <select
                value={tag}
                onChange={(e) =>
                  setTag(e.target.value === "team" ? "team" : e.target.value === "other" ? "other" : "workshop")
                }
              >
                {Object.entries(PHOTO_TAGS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {/* The input stays in the tab order (visually hidden, not `hidden`): Tab reaches it, Space or Enter opens the chooser. */}
          <label className="button button--secondary button--small file-button">
            {files.length > 0 && !multiple ? "更换文件" : "选择文件"}
            <input
              ref={input}
              type="file"
              className="file-button__input"
              multiple={multiple}
              accept={accept}
              aria-label={`上传${name}`}
              onChange={(e) => void start(Array.from(e.target.files ?? []))}
            />
          </label>
          <span className="muted small">或将文件拖到此处{multiple ? "（可一次多个）" : ""}</span>
        </div>
      ) : null}
    </div>
  );
}
