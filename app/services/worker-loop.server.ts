/**
 * The loop every background worker runs (mail, similarity, OCR): after `firstDelayMs`, run a batch;
 * while a batch says more is waiting, run the next one at once (letting requests through in between);
 * then sleep `intervalMs` and start again. A failing batch is logged with its stack and the loop goes
 * on at the next interval. The function returned stops the loop: no batch starts after it is called,
 * and it resolves once the running batch (if any) has finished and `onStop` has run.
 */
import { setImmediate as yieldToRequests } from "node:timers/promises";

import { logError } from "./logger.server.ts";

export type WorkerLoop = {
  /** Names the worker in the log ("mail worker"). */
  name: string;
  intervalMs: number;
  /** The wait before the first batch, so a starting server answers its first requests first. */
  firstDelayMs: number;
  /** One batch of work; resolves to true when more is waiting and the next batch should run at once. */
  runBatch: () => Promise<boolean>;
  /** Releases what the worker holds (a mail transport), after the last batch. */
  onStop?: () => void | Promise<void>;
};

/** Starts the loop; returns the function that stops it. */
export function startWorkerLoop({ name, intervalMs, firstDelayMs, runBatch, onStop }: WorkerLoop) {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const runUntilEmpty = async () => {
    try {
      while (!stopped && (await runBatch())) await yieldToRequests();
    } catch (error) {
      logError(error, name);
    }
  };
  const tick = async () => {
    if (stopped) return;
    running = runUntilEmpty();
    await running;
    if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
  };
  let timer = setTimeout(() => void tick(), firstDelayMs);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
    await onStop?.();
  };
}
