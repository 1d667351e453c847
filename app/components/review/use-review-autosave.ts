/**
 * R-REV-5: the expert's draft is saved while it is typed (after a pause), and on request; submitting
 * goes the same way. One request at a time, carrying the version the form was edited from, so two tabs
 * of one expert never silently overwrite each other: a stale version stops saving with a message.
 */
import type { SubmissionResult } from "@conform-to/react";
import { useFetcher } from "@remix-run/react";
import { type RefObject, useCallback, useEffect, useRef, useState } from "react";

export type SaveIntent = "save" | "submit";

/** The action's reply to a save or a submit. */
export type SaveReply =
  | { ok: true; intent: SaveIntent; version: number; status: "draft" | "submitted"; savedAt: string }
  | {
      ok: false;
      intent: SaveIntent;
      /** Field errors, for conform (no values: the form in the browser stays the truth). */
      result?: SubmissionResult<string[]>;
      message?: string;
      /** Another tab saved first: the form must not keep saving over it. */
      conflict?: boolean;
    };

const AUTOSAVE_DELAY_MS = 1200;

export function useReviewAutosave({
  formRef,
  version: initialVersion,
  locked,
}: {
  formRef: RefObject<HTMLFormElement | null>;
  version: number;
  /** Past the deadline or frozen: nothing is saved. */
  locked: boolean;
}) {
  const fetcher = useFetcher<SaveReply>();
  const versionRef = useRef(initialVersion);
  const [version, setVersion] = useState(initialVersion);
  const timerRef = useRef<ReturnType<typeof setTimeout> | null>(null);
  const pendingRef = useRef<SaveIntent | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const sendRef = useRef<(intent: SaveIntent) => void>(() => {});

  const send = useCallback(
    (intent: SaveIntent) => {
      const form = formRef.current;
      if (!form || conflict) return;
      if (timerRef.current) clearTimeout(timerRef.current);
      if (fetcher.state !== "idle") {
        // One request at a time, so this tab never races itself on the version.
        pendingRef.current = intent === "submit" || pendingRef.current === "submit" ? "submit" : "save";
        return;
      }
      const formData = new FormData(form);
      formData.set("intent", intent);
      formData.set("version", String(versionRef.current));
      fetcher.submit(formData, { method: "post" });
      setDirty(false);
    },
    [conflict, fetcher, formRef],
  );
  sendRef.current = send;

  // Replies: keep the version, or stop on a conflict.
  useEffect(() => {
    const reply = fetcher.data;
    if (!reply || fetcher.state !== "idle") return;
    if (reply.ok) {
      versionRef.current = reply.version;
      setVersion(reply.version);
      setSavedAt(reply.savedAt);
    } else if (reply.conflict && reply.message) {
      setConflict(reply.message);
    }
  }, [fetcher.data, fetcher.state]);

  // A save asked for while another was in flight goes out when it is back.
  useEffect(() => {
    if (fetcher.state === "idle" && pendingRef.current) {
      const intent = pendingRef.current;
      pendingRef.current = null;
      sendRef.current(intent);
    }
  }, [fetcher.state]);

  // Native listeners, so a value filled in by script (e.g. a cited similarity passage) is saved too.
  useEffect(() => {
    const form = formRef.current;
    if (!form || locked) return;
    const onEdit = () => {
      setDirty(true);
      if (timerRef.current) clearTimeout(timerRef.current);
      timerRef.current = setTimeout(() => sendRef.current("save"), AUTOSAVE_DELAY_MS);
    };
    form.addEventListener("input", onEdit);
    form.addEventListener("change", onEdit);
    return () => {
      form.removeEventListener("input", onEdit);
      form.removeEventListener("change", onEdit);
      if (timerRef.current) clearTimeout(timerRef.current);
    };
  }, [formRef, locked]);

  const reply = fetcher.state === "idle" ? fetcher.data : undefined;
  return {
    send,
    /** The version the next save carries (for the form's hidden field). */
    version,
    /** The last reply, once it is back. */
    reply,
    conflict,
    saving: fetcher.state !== "idle",
    status:
      fetcher.state !== "idle" ? "正在保存…" : dirty ? "有未保存的修改" : savedAt ? `已于 ${savedAt} 自动保存` : "",
  };
}
