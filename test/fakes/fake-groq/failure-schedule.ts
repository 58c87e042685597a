/** Failures queued per model by tests; each is used `times` times (default 1), in the order injected. */
import type { InjectedFailure } from "./types.js";

interface QueuedFailure {
  failure: InjectedFailure;
  remaining: number;
}

export class FailureSchedule {
  private readonly queues = new Map<string, QueuedFailure[]>();

  add(model: string, failure: InjectedFailure): void {
    const queue = this.queues.get(model) ?? [];
    queue.push({ failure, remaining: failure.times ?? 1 });
    this.queues.set(model, queue);
  }

  /** The failure the next call to this model meets, without using it up. */
  next(model: string): InjectedFailure | undefined {
    return this.queues.get(model)?.[0]?.failure;
  }

  /** Uses up one of the next failure's `times`; call when it actually decided a call's fate. */
  consume(model: string): void {
    const queue = this.queues.get(model);
    const head = queue?.[0];
    if (queue === undefined || head === undefined) return;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
  }
}
