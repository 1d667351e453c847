/**
 * R-REV-3: fill the expert's veto evidence (the textarea `#veto-evidence` of the scoring form on
 * /expert/reviews/$assignmentId) from elsewhere on the page, e.g. a similarity panel's "cite" button.
 * The scoring form listens to native input/change events, so the cited text is checked, counted as an
 * edit and autosaved like typing. Appends to what the expert already wrote; ticks the veto box when asked.
 */
export function citeVetoEvidence(text: string, options: { tickVeto?: boolean } = {}): boolean {
  const textarea = document.getElementById("veto-evidence");
  if (!(textarea instanceof HTMLTextAreaElement) || textarea.disabled) return false;
  const current = textarea.value.trim();
  textarea.value = current ? `${current}\n${text}` : text;
  textarea.dispatchEvent(new Event("input", { bubbles: true }));
  const veto = document.getElementById("veto");
  if (options.tickVeto && veto instanceof HTMLInputElement && !veto.checked) {
    veto.checked = true;
    // As a click does: "input" (which the form's checks read) and then "change".
    veto.dispatchEvent(new Event("input", { bubbles: true }));
    veto.dispatchEvent(new Event("change", { bubbles: true }));
  }
  textarea.focus();
  return true;
}
