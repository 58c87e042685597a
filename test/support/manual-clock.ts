import type { Clock } from "../../src/core/ports/clock.js";

interface Sleeper {
  readonly wakeAt: number;
  readonly resolve: () => void;
}

/** Lets every pending promise callback run: setImmediate fires only once the microtask queue is empty. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock that moves only when the test says so. Sleepers wake, in order, as `advance` passes
 * their time, and what each starts runs before time moves on; an aborted sleep rejects at once.
 * For core tests that need quota windows, cooldowns, queue waits and edit intervals to pass in
 * no real time at all.
 */
export class ManualClock implements Clock {
  private sleepers: Sleeper[] = [];

  constructor(private current = Date.UTC(2026, 11, 1, 12)) {}

  now(): number {
    return this.current;
  }

  /** Moves time forward, waking each sleeper whose time has come and letting it run before the next. */
  async advance(milliseconds: number): Promise<void> {
    const target = this.current + milliseconds;
    await settle();
    for (;;) {
      const next = this.sleepers.filter((sleeper) => sleeper.wakeAt <= target).sort((first, second) => first.wakeAt - second.wakeAt)[0];
      if (next === undefined) break;
      this.current = Math.max(this.current, next.wakeAt);
      this.sleepers = this.sleepers.filter((sleeper) => sleeper !== next);
      next.resolve();
      // What the sleeper started runs before time moves on.
      await settle();
    }
    this.current = Math.max(this.current, target);
    await settle();
  }

  /** When the next sleeper wakes, if any: a driver of virtual time jumps there once all is quiet. */
  get nextWakeAt(): number | undefined {
    return this.sleepers.reduce<number | undefined>((earliest, sleeper) => (earliest === undefined ? sleeper.wakeAt : Math.min(earliest, sleeper.wakeAt)), undefined);
  }

  /** How many are asleep: a test can wait until the code under test is waiting. */
  get sleeping(): number {
    return this.sleepers.length;
  }

  sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const sleeper: Sleeper = { wakeAt: this.current + milliseconds, resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        "abort",
        () => {
          this.sleepers = this.sleepers.filter((other) => other !== sleeper);
          reject(signal.reason as Error);
        },
        { once: true },
      );
    });
  }
}
