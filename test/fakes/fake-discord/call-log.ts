/** Every REST call the fake receives, in order, and a way to wait for one that matches. */
import { performance } from "node:perf_hooks";

export interface RecordedFile {
  readonly field: string;
  readonly filename: string;
  readonly size: number;
  readonly contentType: string;
}

export interface RecordedCall {
  /** `performance.now()` when the request arrived: the same clock as the dispatch hooks' `dispatchedAt`. */
  readonly at: number;
  readonly method: string;
  /** The decoded path without `/api/v10`, e.g. `/webhooks/1/abc/messages/@original`. */
  readonly route: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The JSON body, or a multipart upload's `payload_json`. */
  readonly body: unknown;
  readonly files: readonly RecordedFile[];
  /** The status the fake answered with; 0 until it answered. */
  status: number;
}

export type RoutePattern = string | RegExp;
export type CallPredicate = (call: RecordedCall) => boolean;

/** `"/channels/:id/messages"` matches any id in that position; a RegExp is used as it is. */
export function routeMatches(pattern: RoutePattern, route: string): boolean {
  if (pattern instanceof RegExp) return pattern.test(route);
  const expression = pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:[A-Za-z]+/g, "[^/]+");
  return new RegExp(`^${expression}$`).test(route);
}

export class CallLog {
  readonly calls: RecordedCall[] = [];
  private readonly waiters = new Set<(call: RecordedCall) => void>();

  record(call: RecordedCall): void {
    this.calls.push(call);
    for (const waiter of [...this.waiters]) waiter(call);
  }

  find(method: string, pattern: RoutePattern, predicate: CallPredicate = () => true): RecordedCall[] {
    return this.calls.filter((call) => matches(call, method, pattern, predicate));
  }

  /** Resolves with the first call, already received or still to come, that matches. */
  waitForCall(method: string, pattern: RoutePattern, predicate: CallPredicate = () => true, timeoutMs = 5_000): Promise<RecordedCall> {
    const earlier = this.find(method, pattern, predicate)[0];
    if (earlier !== undefined) return Promise.resolve(earlier);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`No ${method} ${String(pattern)} call matched within ${timeoutMs} ms. Calls: ${this.describe()}`));
      }, timeoutMs);
      const waiter = (call: RecordedCall): void => {
        if (!matches(call, method, pattern, predicate)) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(call);
      };
      this.waiters.add(waiter);
    });
  }

  private describe(): string {
    return this.calls.map((call) => `${call.method} ${call.route} ${call.status}`).join(", ") || "none";
  }
}

function matches(call: RecordedCall, method: string, pattern: RoutePattern, predicate: CallPredicate): boolean {
  return call.method === method.toUpperCase() && routeMatches(pattern, call.route) && predicate(call);
}

export const now = (): number => performance.now();
