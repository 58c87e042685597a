import { errorFromInjectedFailure, type BotApiError, type InjectedFailure } from "./bot-api-error.js";
import type { MethodParams } from "./request-params.js";

interface QueuedFailure {
  readonly error: BotApiError;
  readonly when: ((params: MethodParams) => boolean) | undefined;
}

/** Errors a test asked for, consumed one per matching call of the named method. */
export class InjectedFailures {
  private readonly queued = new Map<string, QueuedFailure[]>();

  add(method: string, failure: InjectedFailure, times: number, when: ((params: MethodParams) => boolean) | undefined): void {
    const queue = this.queued.get(method) ?? [];
    for (let count = 0; count < times; count += 1) queue.push({ error: errorFromInjectedFailure(failure), when });
    this.queued.set(method, queue);
  }

  take(method: string, params: MethodParams): BotApiError | undefined {
    const queue = this.queued.get(method);
    const index = queue?.findIndex((entry) => entry.when === undefined || entry.when(params)) ?? -1;
    if (queue === undefined || index === -1) return undefined;
    return queue.splice(index, 1)[0]?.error;
  }
}
