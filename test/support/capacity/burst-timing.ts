import { setTimeout as sleep } from "node:timers/promises";

/** The deadline each message has, and how long past the last deadline the bench still watches for late replies. */
export interface BurstTiming {
  readonly deadlineMs: number;
  readonly lateGraceMs: number;
}

export const defaultBurstTiming: BurstTiming = { deadlineMs: 60_000, lateGraceMs: 5_000 };

/** Resolves at `at` (ms since the epoch), or at once when that has passed. */
export function sleepUntil(at: number): Promise<void> {
  return sleep(Math.max(0, at - Date.now()));
}

/**
 * Waits for `work` to finish, but no later than `stopAt`; then calls `stop` and waits (at most
 * `settleMs` more) for the work to wind down, so that nothing of one scenario runs into the next.
 */
export async function watchUntil(work: Promise<unknown>, stopAt: number, stop: () => void, settleMs = 15_000): Promise<void> {
  await Promise.race([work, sleepUntil(stopAt)]);
  stop();
  await Promise.race([work, sleep(settleMs)]);
}

/**
 * The time a burst runs on: the wall clock, or a virtual one that Mami and the fake Groq share
 * (virtualBurstTime in virtual-burst-time.ts). The burst reads every moment it records from it.
 */
export interface BurstTime {
  now(): number;
  sleepUntil(at: number): Promise<void>;
  /** As `watchUntil` above, on this time. */
  watchUntil(work: Promise<unknown>, stopAt: number, stop: () => void): Promise<void>;
}

export const wallClockTime: BurstTime = { now: () => Date.now(), sleepUntil, watchUntil };
