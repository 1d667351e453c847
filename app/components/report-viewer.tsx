/**
 * R-REV-3 ("the expert must point to the evidence"): a PDF shown in the page with pdf.js (not the
 * browser's own viewer, which mobile and in-app browsers lack), with the passages the copy check
 * matched highlighted on the page where they occur — for a text PDF and a scan read by OCR alike (the
 * boxes come from app/domain/similarity/report-layout.ts). `focus` scrolls to a passage's first box.
 *
 * pdf.js and its worker are loaded from the portal's own origin (/resources/pdfjs/…), so a strict
 * Content-Security-Policy (script-src 'self', worker-src 'self') allows them.
 */
import { useEffect, useRef, useState } from "react";

import type { PassageHighlight } from "~/domain/similarity/report-layout.ts";

type PdfJs = typeof import("pdfjs-dist");
const PDFJS_VERSION = "5.6.205";
let pdfjsPromise: Promise<PdfJs> | null = null;

function loadPdfJs(): Promise<PdfJs> {
  if (!pdfjsPromise) {
    // A variable specifier: the bundler leaves the import to the browser.
    const url = `/resources/pdfjs/pdf.min.mjs?v=${PDFJS_VERSION}`;
    pdfjsPromise = import(/* webpackIgnore: true */ url).then((module: PdfJs) => {
      module.GlobalWorkerOptions.workerSrc = `/resources/pdfjs/pdf.worker.min.mjs?v=${PDFJS_VERSION}`;
      return module;
    });
  }
  return pdfjsPromise;
}

type PageView = { width: number; height: number };

export function ReportViewer({
  url,
  title,
  highlights = [],
  focus = null,
  testId = "report-viewer",
  lazy = false,
  maxHeight,
}: {
  url: string;
  title: string;
  highlights?: readonly PassageHighlight[];
  focus?: { id: string; nonce: number } | null;
  testId?: string;
  /** Load the file only when the viewer is scrolled near (a page with many files opens quickly). */
  lazy?: boolean;
  maxHeight?: number;
}) {
  const container = useRef<HTMLDivElement>(null);
  const canvases = useRef<Array<HTMLCanvasElement | null>>([]);
  const [pages, setPages] = useState<PageView[]>([]);
  const [state, setState] = useState<"loading" | "ready" | "failed">("loading");
  const [visible, setVisible] = useState(!lazy);

  useEffect(() => {
    if (visible) return;
    const element = container.current;
    if (!element || typeof IntersectionObserver === "undefined") {
      setVisible(true);
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) setVisible(true);
      },
      { rootMargin: "200px" },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [visible]);

  useEffect(() => {
    if (!visible) return;
    let cancelled = false;
    let destroy: (() => void) | null = null;
    setState("loading");
    setPages([]);
    (async () => {
      const pdfjs = await loadPdfJs();
      const task = pdfjs.getDocument({ url, isEvalSupported: false });
      destroy = () => void task.destroy();
      const pdf = await task.promise;
      const views: PageView[] = [];
      for (let n = 1; n <= pdf.numPages; n++) {
        const viewport = (await pdf.getPage(n)).getViewport({ scale: 1 });
        views.push({ width: viewport.width, height: viewport.height });
      }
      if (cancelled) return;
      setPages(views);
      // Draw each page once its canvas exists, at the width it is shown, for the screen's pixel density.
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const width = container.current?.clientWidth ?? 600;
      for (let n = 1; n <= pdf.numPages; n++) {
        if (cancelled) return;
        const page = await pdf.getPage(n);
        const canvas = canvases.current[n - 1];
        if (!canvas) continue;
        const base = page.getViewport({ scale: 1 });
        const scale = (Math.max(320, width - 16) / base.width) * Math.min(2, window.devicePixelRatio || 1);
        const viewport = page.getViewport({ scale });
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        await page.render({ canvas, viewport }).promise;
      }
      if (!cancelled) setState("ready");
    })().catch(() => {
      if (!cancelled) setState("failed");
    });
    return () => {
      cancelled = true;
      destroy?.();
    };
  }, [url, visible]);

  useEffect(() => {
    if (!focus || pages.length === 0) return;
    const target = container.current?.querySelector<HTMLElement>(`[data-passage="${CSS.escape(focus.id)}"]`);
    if (!target) return;
    target.scrollIntoView({ block: "center", behavior: "smooth" });
    target.classList.add("report-viewer__mark--focus");
    const timer = setTimeout(() => target.classList.remove("report-viewer__mark--focus"), 2000);
    return () => clearTimeout(timer);
  }, [focus, pages.length]);

  return (
    <div
      className="report-viewer"
      ref={container}
      data-testid={testId}
      data-state={state}
      aria-busy={state === "loading"}
      role="document"
      aria-label={title}
      style={maxHeight ? { maxHeight } : undefined}
    >
      {state === "failed" ? (
        <p className="notice notice--warning">
          无法在页面中显示该文件，请
          <a href={url} target="_blank" rel="noreferrer">
            在新窗口打开
          </a>
          。
        </p>
      ) : null}
      {state === "loading" && pages.length === 0 ? <p className="muted small">正在载入……</p> : null}
      {pages.map((page, i) => (
        <div
          key={i}
          className="report-viewer__page"
          style={{ aspectRatio: `${page.width} / ${page.height}` }}
          data-page={i + 1}
        >
          <canvas
            ref={(el) => {
              canvases.current[i] = el;
            }}
            role="img"
            aria-label={`第 ${i + 1} 页`}
          />
          {highlights
            .filter((h) => h.page === i)
            .map((h, k) => (
              <mark
                key={`${h.id}-${k}`}
                className="report-viewer__mark"
                data-passage={h.id}
                data-testid="report-highlight"
                title="与其他报告相同的段落"
                style={{
                  left: `${h.box.x * 100}%`,
                  top: `${h.box.y * 100}%`,
                  width: `${h.box.w * 100}%`,
                  height: `${h.box.h * 100}%`,
                }}
              />
            ))}
          <span className="report-viewer__page-number">
            {i + 1} / {pages.length}
          </span>
        </div>
      ))}
    </div>
  );
}
