import { ReportViewer } from "~/components/report-viewer.tsx";

/**
 * A stored file shown in the page: an image as itself, anything else (PDF) drawn by pdf.js — never the
 * browser's own PDF viewer in a frame, which mobile and in-app browsers lack. Loaded when scrolled near.
 */
export function FileView({
  fileId,
  fileName,
  contentType,
  maxHeight,
}: {
  fileId: string;
  fileName: string;
  contentType: string;
  maxHeight?: number;
}) {
  const url = `/resources/files/${fileId}`;
  if (contentType.startsWith("image/"))
    return <img src={url} alt={fileName} loading="lazy" style={maxHeight ? { maxHeight } : undefined} />;
  return <ReportViewer url={url} title={`预览 ${fileName}`} testId="pdf-preview" maxHeight={maxHeight} lazy />;
}
