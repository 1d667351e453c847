import { setTimeout as sleep } from "node:timers/promises";

import { pino } from "pino";
import { afterEach, describe, expect, test, vi } from "vitest";

import { startWorkerLoop } from "./worker-loop.server.ts";

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

describe("the background workers' loop", () => {
  test("runs batches back to back while work is waiting, then waits the interval", async () => {
    const calls: number[] = [];
    let waiting = 3;
    const intervalMs = 1000;
    stops.push(
      startWorkerLoop({
        name: "test worker",
        intervalMs,
        firstDelayMs: 10,
        runBatch: async () => {
          calls.push(performance.now());
          return waiting-- > 0;
        },
      }),
    );
    await vi.waitFor(() => expect(calls).toHaveLength(4));
    const [first = 0, , , fourth = 0] = calls;
    expect(fourth - first).toBeLessThan(intervalMs / 2);
    await vi.waitFor(() => expect(calls).toHaveLength(5), { timeout: 5000 });
    expect((calls[4] ?? 0) - fourth).toBeGreaterThanOrEqual(intervalMs - 5);
  });

  test("stopping waits for the running batch, starts no other, then releases the worker's resources", async () => {
    const events: string[] = [];
    let release = () => {};
    const stop = startWorkerLoop({
      name: "test worker",
      intervalMs: 20,
      firstDelayMs: 0,
      runBatch: async () => {
        events.push("batch");
        await new Promise<void>((resolve) => (release = resolve));
        events.push("batch done");
        return true; // more is waiting, but the loop was stopped
      },
      onStop: () => void events.push("released"),
    });
    await vi.waitFor(() => expect(events).toEqual(["batch"]));
    const stopping = stop();
    await sleep(50);
    expect(events).toEqual(["batch"]);
    release();
    await stopping;
    expect(events).toEqual(["batch", "batch done", "released"]);
    await sleep(100);
    expect(events).toEqual(["batch", "batch done", "released"]);
  });

  test("a failing batch is logged with its error and the loop goes on at the next interval", async () => {
    const lines: string[] = [];
    const previous = globalThis.__subsidyPortalLogger;
    globalThis.__subsidyPortalLogger = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
    try {
      let calls = 0;
      stops.push(
        startWorkerLoop({
          name: "test worker",
          intervalMs: 50,
          firstDelayMs: 0,
          runBatch: async () => {
            calls++;
            if (calls === 1) throw new Error("SMTP 服务器无响应");
            return false;
          },
        }),
      );
      await vi.waitFor(() => expect(calls).toBe(2));
      const logged = lines.map((line) => JSON.parse(line) as { msg?: string; err?: { message?: string } });
      expect(logged).toEqual([
        expect.objectContaining({ msg: "test worker", err: expect.objectContaining({ message: "SMTP 服务器无响应" }) }),
      ]);
    } finally {
      globalThis.__subsidyPortalLogger = previous;
    }
  });
});
