/** A stored file shown for review: the image itself, or the PDF in a viewer, with a link to open it. */
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
        {file.contentType.startsWith("image/") ? (
          <img
            src={`/resources/files/${file.fileId}`}
            alt={file.fileName}
            loading="lazy"
            style={{ maxHeight: height }}
          />
        ) : (
          <iframe
            title={`预览 ${file.fileName}`}
            src={`/resources/files/${file.fileId}`}
            style={{ height }}
            loading="lazy"
          />
        )}
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
