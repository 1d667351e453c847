/**
 * R-REV-3 items 3 and 4: reused site photos (M5) and photos taken outside the diagnosis.
 *
 * Photos are compared by a 64-bit DCT perceptual hash (pHash): resized or recompressed copies of a photo
 * differ in 0–3 of the 64 bits, brightened 6, cropped by 5% about 15; different photos 25–40 (measured,
 * STACK.md "Images and file types"). A pair at or below PHOTO_MAX_DISTANCE is flagged.
 */

export const HASH_BITS = 64;
/** Largest Hamming distance between two photos' hashes that is flagged as the same photo. */
export const PHOTO_MAX_DISTANCE = 16;

/** A hash as sharp-phash gives it (64 characters "0"/"1") → 16 hex digits. */
export function bitsToHex(bits: string): string {
  if (!/^[01]{64}$/.test(bits)) throw new RangeError("a perceptual hash has 64 bits");
  let hex = "";
  for (let i = 0; i < 64; i += 4) hex += Number.parseInt(bits.slice(i, i + 4), 2).toString(16);
  return hex;
}

/** Number of differing bits of two 16-hex-digit hashes. */
export function hammingDistance(a: string, b: string): number {
  if (a.length !== 16 || b.length !== 16) throw new RangeError("hashes are 16 hex digits");
  let distance = 0;
  for (let i = 0; i < 16; i += 8) {
    let x = (Number.parseInt(a.slice(i, i + 8), 16) ^ Number.parseInt(b.slice(i, i + 8), 16)) >>> 0;
    while (x) {
      x &= x - 1;
      distance++;
    }
  }
  return distance;
}

/** The similarity figure of two photos: 1 − distance / 64. */
export function photoScore(distance: number): number {
  return 1 - distance / HASH_BITS;
}

export type PhotoDateFlag = "before_contract" | "after_report" | null;

/**
 * R-REV-3 item 4: a photo taken before the contract was signed, or after the report's date (the
 * diagnosis completion date), is flagged. Dates are Beijing calendar dates "YYYY-MM-DD"; the EXIF
 * capture time is the camera's local wall time, taken as Beijing time.
 */
export function photoDateFlag(
  takenOn: string | null | undefined,
  contractSignedOn: string,
  diagnosisCompletedOn: string,
): PhotoDateFlag {
  if (!takenOn) return null;
  if (takenOn < contractSignedOn) return "before_contract";
  if (takenOn > diagnosisCompletedOn) return "after_report";
  return null;
}

export const PHOTO_DATE_FLAG_LABELS: Record<Exclude<PhotoDateFlag, null>, string> = {
  before_contract: "拍摄于合同签订之前",
  after_report: "拍摄于诊断报告日期之后",
};

/**
 * EXIF DateTimeOriginal ("2022:10:18 09:30:12", as exifr returns it unrevived) → "2022-10-18 09:30:12";
 * null when absent or malformed (cameras write "0000:00:00 00:00:00" when the clock was never set).
 */
export function exifLocalTime(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  const m = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(raw.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  if (Number(y) < 1990 || Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return null;
  return `${y}-${mo}-${d} ${h}:${mi}:${s}`;
}
