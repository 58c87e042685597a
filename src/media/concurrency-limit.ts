/**
 * At most `max` tasks run at once; the others wait their turn in arrival order. Media work is
 * bursty (five photos in one message, several chats at once) and each task holds a thread and
 * hundreds of megabytes, so the limit bounds both for the whole process.
 */
export interface ConcurrencyLimit {
  readonly max: number;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a turn. */
  readonly waiting: number;
  run<T>(task: () => Promise<T>): Promise<T>;
}

export function createConcurrencyLimit(max: number): ConcurrencyLimit {
  if (!(max >= 1)) throw new RangeError(`A concurrency limit must be at least 1; got ${max}`);
  let active = 0;
  const queue: (() => void)[] = [];

  function release(): void {
    const next = queue.shift();
    // The freed slot passes straight to the next task, so `active` never dips and overshoots.
    if (next === undefined) active -= 1;
    else next();
  }

  return {
    max,
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    async run(task) {
      if (active < max) active += 1;
      else await new Promise<void>((resolve) => queue.push(resolve));
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
