import type { ModelRegistry } from "../models/model-registry.js";
import type { Clock } from "../ports/clock.js";
import type { MinuteTimeline } from "../models/model-state.js";
import type { ModelSelector, Selection, SelectionRequest } from "./model-selector.js";
import { estimateStart, type CostByModel } from "./wait-estimate.js";

type NoneSelected = Extract<Selection, { kind: "none" }>;

interface Waiter {
  readonly request: SelectionRequest;
  readonly arrivedAt: number;
  readonly sequence: number;
  /** The models it waits for, as of the last pass: later arrivals may not take them first. */
  waitingOn: readonly string[];
  earliestAvailableAt: number | undefined;
  /** What it would cost each model that could take it, for the estimates of those behind it. */
  readonly costs: CostByModel;
  readonly settle: (selection: Selection) => void;
}

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
   * About how long a request would wait: the awaited models' minutes played forward with the
   * requests ahead of it (wait-estimate.ts). Undefined when no model could ever take it.
   */
  estimateWaitMs(request: SelectionRequest, arrivedAt: number): number | undefined {
    const now = this.clock.now();
    const costs = this.selector.costs(request);
    const ahead = this.waiters.filter((waiter) => waiter.arrivedAt <= arrivedAt).map((waiter) => waiter.costs);
    const timelines = new Map<string, MinuteTimeline>();
    for (const costsOfOne of [...ahead, costs]) {
      for (const [model, tokens] of costsOfOne) {
        if (timelines.has(model)) continue;
        const timeline = this.registry.state(model).timeline(now, tokens);
        if (timeline !== undefined) timelines.set(model, timeline);
      }
    }
    const start = estimateStart(now, timelines, ahead, costs);
    return start === undefined ? undefined : Math.max(0, start - now);
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
        costs: this.selector.costs(request),
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

  private noneFor(waiter: Waiter): NoneSelected {
    return { kind: "none", earliestAvailableAt: waiter.earliestAvailableAt, waitingOn: waiter.waitingOn, skipped: [] };
  }

  private insertInArrivalOrder(waiter: Waiter): void {
    const index = this.waiters.findIndex((other) => other.arrivedAt > waiter.arrivedAt);
    if (index === -1) this.waiters.push(waiter);
    else this.waiters.splice(index, 0, waiter);
  }
}
