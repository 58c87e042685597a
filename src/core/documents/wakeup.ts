import type { Clock } from "../ports/clock.js";

/**
 * Where a reading waits between its decisions: until a time, or until something it started
 * tells it (a part went out, a part came back), whichever comes first. A notice that comes while
 * the reading is busy is kept, so the next wait returns at once.
 */
export class Wakeup {
  private wake: (() => void) | undefined;
  private noticed = false;

  constructor(private readonly clock: Clock) {}

  notify(): void {
    this.noticed = true;
    this.wake?.();
  }

  /** Resolves at `at`, on a notice, or when `signal` aborts (the caller checks it). */
  async until(at: number, signal: AbortSignal): Promise<void> {
    if (this.noticed || signal.aborted) {
      this.noticed = false;
      return;
    }
    const timer = new AbortController();
    try {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.clock.sleep(Math.max(0, at - this.clock.now()), AbortSignal.any([timer.signal, signal])).then(resolve, () => resolve());
      });
    } finally {
      this.wake = undefined;
      this.noticed = false;
      timer.abort();
    }
  }
}
