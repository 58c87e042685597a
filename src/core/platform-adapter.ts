import type { Clock } from "./ports/clock.js";
import type { Platform } from "./request.js";

/**
 * What both platform adapters are to the composition root: the same shape and the same rules,
 * so Telegram and Discord start, report and stop alike.
 */
export interface PlatformAdapter {
  readonly platform: Platform;
  /** A name for logs: the bot's username or user id. */
  readonly botName: string;
  /** Whether the platform connection is up, for /healthz. */
  isConnected(): boolean;
  /**
   * Stops taking new messages, lets the answers under way finish until `graceMs` has passed,
   * aborts the rest (their users get a short note to send again), then disconnects. Nothing is
   * answered twice: what was taken is confirmed to the platform before it goes.
   */
  stop(graceMs: number): Promise<void>;
}

/**
 * The requests an adapter is answering, so that a stop can wait for them and then cut them
 * short together. Each request gets `signal`, which aborts at the stop's deadline.
 */
export class RequestsInFlight {
  private readonly running = new Set<Promise<unknown>>();
  private readonly deadline = new AbortController();
  private stopping = false;

  constructor(private readonly clock: Clock) {}

  /** Aborts when a stop's grace period is over: the pipeline then ends the answer with a note. */
  get signal(): AbortSignal {
    return this.deadline.signal;
  }

  /** False once a stop began: new messages are not taken any more. */
  get accepting(): boolean {
    return !this.stopping;
  }

  get size(): number {
    return this.running.size;
  }

  track(work: Promise<unknown>): void {
    const tracked = work.catch(() => undefined);
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
  }

  /** Waits up to `graceMs` for every request, then aborts the rest and waits for them to end. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    const allDone = Promise.allSettled([...this.running]);
    const timer = new AbortController();
    const graceOver = this.clock.sleep(graceMs, timer.signal).then(
      () => "grace over" as const,
      () => "done" as const,
    );
    const first = await Promise.race([allDone.then(() => "done" as const), graceOver]);
    timer.abort();
    if (first === "grace over") this.deadline.abort(new Error("Mami is stopping"));
    await Promise.allSettled([...this.running]);
  }
}
