import type { ModelRegistry } from "../models/model-registry.js";
import type { Clock } from "../ports/clock.js";
import type { ModelSelector, Selection, SelectionRequest } from "./model-selector.js";

type Selected = Extract<Selection, { kind: "selected" }>;
type NoneSelected = Extract<Selection, { kind: "none" }>;

interface Waiter {
  readonly request: SelectionRequest;
  readonly arrivedAt: number;
  readonly sequence: number;
  /** The models it waits for, as of the last pass: later arrivals may not take them first. */
  waitingOn: readonly string[];
  earliestAvailableAt: number | undefined;
  cost: number;
  readonly settle: (selection: Selection) => void;
}

const minuteMs = 60_000;

/**
 * The one queue in front of every model's quota. When no model can take a request now, it waits
 * here in arrival order (the time its message arrived, whatever its chat), and one timer, set for
 * the moment the earliest awaited model frees up, serves the queue from the front: no waiter
 * polls. A request that arrives while others wait does not overtake them on the models they wait
 * for. See docs/architecture.md, "Capacity".
 */
export class QuotaQueue {
  private readonly waiters: Waiter[] = [];
  private sequence = 0;
  private timer: { readonly at: number; readonly cancel: AbortController } | undefined;

  constructor(
    private readonly selector: ModelSelector,
    private readonly registry: ModelRegistry,
    private readonly clock: Clock,
  ) {}

  get length(): number {
    return this.waiters.length;
  }

  /** Selects now, leaving alone the models that requests which arrived earlier are waiting for. */
  selectNow(request: SelectionRequest, arrivedAt: number): Selection {
    return this.selector.select(this.withoutClaimed(request, this.claimedBefore(arrivedAt)), this.clock.now());
  }

  /**
   * About how long a request would wait: until its first model frees up, and at least as long as
   * the requests ahead of it take of the awaited models' tokens and requests per minute.
   */
  estimateWaitMs(request: SelectionRequest, arrivedAt: number): number | undefined {
    const now = this.clock.now();
    const selection = this.selector.select(request, now);
    if (selection.kind === "selected") {
      // Only the queue holds it back: free for it, but not before the requests ahead.
      this.release(selection);
      return this.queueDrainMs([selection.model], arrivedAt);
    }
    if (selection.earliestAvailableAt === undefined || selection.waitingOn.length === 0) return undefined;
    const untilFirstFree = selection.earliestAvailableAt - now;
    return Math.max(untilFirstFree, this.queueDrainMs(selection.waitingOn, arrivedAt));
  }

  /**
   * Waits in line until a model takes the request (resolves with it, reserved), the deadline
   * passes or nothing could ever take it (resolves with why), or the signal aborts (rejects).
   */
  wait(request: SelectionRequest, arrivedAt: number, deadlineAt: number, signal?: AbortSignal): Promise<Selection> {
    return new Promise<Selection>((resolve, reject) => {
      const deadlineTimer = new AbortController();
      const leave = (): void => {
        deadlineTimer.abort();
        signal?.removeEventListener("abort", onAbort);
        const index = this.waiters.indexOf(waiter);
        if (index !== -1) this.waiters.splice(index, 1);
      };
      const waiter: Waiter = {
        request,
        arrivedAt,
        sequence: (this.sequence += 1),
        waitingOn: [],
        earliestAvailableAt: undefined,
        cost: 0,
        settle: (selection) => {
          leave();
          resolve(selection);
          // Whoever is next may fit in what this one did not take.
          if (selection.kind === "none") this.schedule(this.clock.now());
        },
      };
      const onAbort = (): void => {
        leave();
        reject(signal?.reason as Error);
        this.schedule(this.clock.now());
      };
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      signal?.addEventListener("abort", onAbort, { once: true });
      this.insertInArrivalOrder(waiter);
      this.clock.sleep(Math.max(0, deadlineAt - this.clock.now()), deadlineTimer.signal).then(
        () => waiter.settle(this.noneFor(waiter)),
        () => undefined,
      );
      this.serve();
    });
  }

  /** Quota came back early (a reservation released, or settled below what it held): serve now. */
  quotaFreed(): void {
    if (this.waiters.length > 0) this.schedule(this.clock.now());
  }

  /** One pass from the front: each waiter takes what it can, or claims what it waits for. */
  private serve(): void {
    const now = this.clock.now();
    const claimed = new Set<string>();
    let nextAt: number | undefined;
    for (const waiter of [...this.waiters]) {
      const selection = this.selector.select(this.withoutClaimed(waiter.request, claimed), now);
      if (selection.kind === "selected") {
        waiter.settle(selection);
        continue;
      }
      if (selection.waitingOn.length === 0 && selection.earliestAvailableAt === undefined && claimed.size === 0) {
        // Nothing could ever take it, whoever else waits.
        waiter.settle(selection);
        continue;
      }
      waiter.waitingOn = selection.waitingOn;
      waiter.earliestAvailableAt = selection.earliestAvailableAt;
      waiter.cost = selection.cost ?? waiter.cost;
      for (const model of selection.waitingOn) claimed.add(model);
      if (selection.earliestAvailableAt !== undefined) nextAt = Math.min(nextAt ?? Number.POSITIVE_INFINITY, selection.earliestAvailableAt);
    }
    if (nextAt !== undefined) this.schedule(nextAt);
  }

  /** Sets the one timer for `at`, unless it is already set as early. */
  private schedule(at: number): void {
    if (this.timer !== undefined && this.timer.at <= at) return;
    this.timer?.cancel.abort();
    const cancel = new AbortController();
    const timer = { at, cancel };
    this.timer = timer;
    this.clock.sleep(Math.max(0, at - this.clock.now()), cancel.signal).then(
      () => {
        if (this.timer === timer) this.timer = undefined;
        this.serve();
      },
      () => undefined,
    );
  }

  private claimedBefore(arrivedAt: number): ReadonlySet<string> {
    const claimed = new Set<string>();
    for (const waiter of this.waiters) {
      if (waiter.arrivedAt > arrivedAt) break;
      for (const model of waiter.waitingOn) claimed.add(model);
    }
    return claimed;
  }

  private withoutClaimed(request: SelectionRequest, claimed: ReadonlySet<string>): SelectionRequest {
    if (claimed.size === 0) return request;
    return { ...request, excluded: new Set([...request.excluded, ...claimed]) };
  }

  /** Time for the awaited models' per-minute limits to take the requests ahead of this one. */
  private queueDrainMs(models: readonly string[], arrivedAt: number): number {
    let tokensAhead = 0;
    let requestsAhead = 0;
    for (const waiter of this.waiters) {
      if (waiter.arrivedAt > arrivedAt) break;
      if (!waiter.waitingOn.some((model) => models.includes(model))) continue;
      tokensAhead += waiter.cost;
      requestsAhead += 1;
    }
    let tokensPerMs = 0;
    let requestsPerMs = 0;
    for (const model of models) {
      const limits = this.registry.state(model).currentLimits;
      tokensPerMs += limits.tokensPerMinute / minuteMs;
      requestsPerMs += limits.requestsPerMinute / minuteMs;
    }
    if (tokensPerMs === 0 || requestsPerMs === 0) return 0;
    return Math.max(tokensAhead / tokensPerMs, requestsAhead / requestsPerMs);
  }

  private noneFor(waiter: Waiter): NoneSelected {
    return { kind: "none", earliestAvailableAt: waiter.earliestAvailableAt, waitingOn: waiter.waitingOn, cost: waiter.cost, skipped: [] };
  }

  private release(selection: Selected): void {
    this.registry.state(selection.model).release(selection.reservation);
  }

  private insertInArrivalOrder(waiter: Waiter): void {
    const index = this.waiters.findIndex((other) => other.arrivedAt > waiter.arrivedAt);
    if (index === -1) this.waiters.push(waiter);
    else this.waiters.splice(index, 0, waiter);
  }
}
