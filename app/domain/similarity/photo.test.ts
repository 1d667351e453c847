import { describe, expect, it } from "vitest";

import { bitsToHex, exifLocalTime, hammingDistance, photoDateFlag, photoScore } from "./photo.ts";

describe("photo hashes", () => {
  it("R-REV-3 converts sharp-phash's bit string to hex and counts differing bits", () => {
    const bits = "1010".repeat(16);
    expect(bitsToHex(bits)).toBe("aaaaaaaaaaaaaaaa");
    expect(hammingDistance("aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa")).toBe(0);
    expect(hammingDistance("aaaaaaaaaaaaaaaa", "5555555555555555")).toBe(64);
    expect(hammingDistance("ffffffff00000000", "fffffffe00000001")).toBe(2);
    expect(photoScore(16)).toBe(0.75);
    expect(() => bitsToHex("102")).toThrow(RangeError);
  });
});

describe("R-REV-3 photo dates against the visit", () => {
  it("R-REV-3 flags a photo taken before the contract or after the report's date", () => {
    expect(photoDateFlag("2022-09-19", "2022-09-20", "2022-10-18")).toBe("before_contract");
    expect(photoDateFlag("2022-09-20", "2022-09-20", "2022-10-18")).toBeNull();
    expect(photoDateFlag("2022-10-18", "2022-09-20", "2022-10-18")).toBeNull();
    expect(photoDateFlag("2022-10-19", "2022-09-20", "2022-10-18")).toBe("after_report");
    expect(photoDateFlag(null, "2022-09-20", "2022-10-18")).toBeNull();
  });

  it("R-REV-3 reads EXIF capture times as the camera wrote them, refusing unset clocks", () => {
    expect(exifLocalTime("2022:10:18 09:30:12")).toBe("2022-10-18 09:30:12");
    expect(exifLocalTime("0000:00:00 00:00:00")).toBeNull();
    expect(exifLocalTime(undefined)).toBeNull();
    expect(exifLocalTime(new Date())).toBeNull();
  });
});
