import { describe, expect, test } from "vitest";

import { decodeCtc } from "./ocr-engine.server.ts";

// Scores for `steps` steps over classes [blank, 智, 能, 化]: one row a step, the best class given.
function scores(best: number[], classes = 4): Float32Array {
  const out = new Float32Array(best.length * classes).fill(0.01);
  best.forEach((c, t) => (out[t * classes + c] = 0.9 - t * 0.1));
  return out;
}

describe("R-REV-3 OCR: greedy CTC decoding of the recognition model's output", () => {
  const dictionary = ["智", "能", "化"];

  test("a class repeated over steps is one character; a blank between two equal classes makes two", () => {
    const decoded = decodeCtc(scores([1, 1, 0, 2, 0, 2, 3]), 7, 4, dictionary);
    expect(decoded.text).toBe("智能能化");
  });

  test("the confidence is the mean score of the characters kept, not of the blanks", () => {
    const decoded = decodeCtc(scores([0, 1, 0]), 3, 4, dictionary);
    expect(decoded.text).toBe("智");
    expect(decoded.confidence).toBeCloseTo(0.8, 5);
  });

  test("only blanks read as nothing, with confidence 0", () => {
    expect(decodeCtc(scores([0, 0, 0]), 3, 4, dictionary)).toEqual({ text: "", confidence: 0 });
  });
});
