import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { AUDIT_ACTION_LABELS } from "./audit-actions.ts";

/** Every `action: "entity.verb"` literal in the server code and seeds. */
function writtenActions(): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === "generated" || name === "node_modules") continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.server\.ts$/.test(name)) {
        const source = readFileSync(path, "utf8");
        for (const m of source.matchAll(
          /"((?:organisation|user|round|seed|application|material|expert|assignment|review|payout_batch|mail)\.[a-z_]+)"/g,
        )) {
          found.add(m[1]!);
        }
      }
    }
  };
  walk("app");
  walk("seeds");
  return found;
}

describe("R-LOG-1 audit action names", () => {
  it("names every action the code writes to the record in Chinese", () => {
    const actions = writtenActions();
    expect(actions.size).toBeGreaterThan(30);
    const unnamed = [...actions].filter((a) => !(a in AUDIT_ACTION_LABELS));
    expect(unnamed).toEqual([]);
  });

  it("has no names for actions nothing writes", () => {
    const actions = writtenActions();
    const stale = Object.keys(AUDIT_ACTION_LABELS).filter((a) => !actions.has(a));
    expect(stale).toEqual([]);
  });
});
