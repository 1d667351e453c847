import { FileView } from "~/components/file-view.tsx";

/** A stored file shown for review (app/components/file-view.tsx), with a link to open it. */
export type PreviewFile = {
  fileId: string;
  fileName: string;
  contentType: string;
  size: number;
  uploadedAt: string;
  removedAt: string | null;
};

export function FilePreview({ file, height = 360 }: { file: PreviewFile; height?: number }) {
  return (
    <figure style={{ margin: 0 }} data-testid="file-preview">
      <div className="preview">
        <FileView fileId={file.fileId} fileName={file.fileName} contentType={file.contentType} maxHeight={height} />
      </div>
      <figcaption className="small muted">
        <a href={`/resources/files/${file.fileId}`} target="_blank" rel="noreferrer">
          {file.fileName}
        </a>{" "}
        · 上传于 {file.uploadedAt}
        {file.removedAt ? ` · 已于 ${file.removedAt} 被替换` : ""}
      </figcaption>
    </figure>
  );
}
