/**
 * Paper copies (纸质材料一式两份, R-MAT-3; README decision "Paper copies"): staff record their receipt;
 * a round can require them before 受理 (the 2022 round does), and a receipt after the round's
 * submission deadline (申报材料受理截止时间…逾期不受理) is flagged, not refused: the bureau decides.
 */

/** R-MAT-3: why 受理 is refused for want of the paper copies, or null. */
export function paperCopiesAcceptError(input: { required: boolean; receivedOn: string | null }): string | null {
  if (!input.required || input.receivedOn) return null;
  return "本批次要求先收到纸质材料（一式两份）才能受理。请先在下方“纸质材料”处登记收到日期和接收人。";
}

/** R-MAT-3, R-DATE-1: the paper copies arrived after the deadline day (Beijing dates, YYYY-MM-DD). */
export function paperCopiesLate(receivedOn: string | null, deadlineDay: string): boolean {
  return receivedOn !== null && receivedOn > deadlineDay;
}
