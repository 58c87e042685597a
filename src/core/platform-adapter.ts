import { setMaxListeners } from "node:events";
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
   * aborts the rest (their users get a short note to send again), then disconnects; it ends
   * within `graceMs` plus `abortedRequestsWaitMs` and a few seconds, whatever the platform does.
   * Nothing is answered twice: what was taken is confirmed to the platform before it goes.
   */
  stop(graceMs: number): Promise<void>;
}

/**
 * After a stop's grace period, how long requests that were aborted get to show their note
 * ("I'm restarting…") before the stop goes on without them. Compose gives a process 20 s after
 * SIGTERM with a 10 s grace (docs/deploy.md): this keeps well within the rest.
 */
export const abortedRequestsWaitMs = 5_000;

/**
 * The requests an adapter is answering, so that a stop can wait for them and then cut them
 * short together. Each request gets `signal`, which aborts at the stop's deadline.
 */
export class RequestsInFlight {
  private readonly running = new Set<Promise<unknown>>();
  private readonly deadline = new AbortController();
  private stopping = false;

  constructor(private readonly clock: Clock) {
    // Every request under way listens on this one signal (its place in the request gate, its
    // waits for quota), each listener removed when its request ends: a burst holds hundreds at
    // once by design, and Node's leak warning at eleven would only cry wolf in the logs.
    setMaxListeners(0, this.deadline.signal);
  }

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

  /**
   * Waits up to `graceMs` for every request, then aborts the rest and gives them up to
   * `abortedRequestsWaitMs` more to send their note. A stop ends within the sum whatever a
   * platform does (a send that hangs, a rate limit that asks for an hour), so that the process
   * exits before its supervisor kills it; the number left unfinished is returned for the log.
   */
  async stop(graceMs: number): Promise<number> {
    this.stopping = true;
    if (!(await this.allEndWithin(graceMs))) {
      this.deadline.abort(new Error("Mami is stopping"));
      await this.allEndWithin(abortedRequestsWaitMs);
    }
    return this.running.size;
  }

  /** True when every request ended within the time. */
  private async allEndWithin(milliseconds: number): Promise<boolean> {
    if (this.running.size === 0) return true;
    const allDone = Promise.allSettled([...this.running]).then(() => true);
    const timer = new AbortController();
    const timeUp = this.clock.sleep(milliseconds, timer.signal).then(
      () => false,
      () => true,
    );
    const allEnded = await Promise.race([allDone, timeUp]);
    timer.abort();
    return allEnded;
  }
}
