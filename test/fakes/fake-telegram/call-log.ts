import type { MethodParams } from "./request-params.js";
import type { RecordedCall } from "./types.js";

interface CallWaiter {
  readonly method: string;
  readonly predicate: (call: RecordedCall) => boolean;
  readonly resolve: (call: RecordedCall) => void;
}

/** Every call the bot made, in arrival order, and tests waiting for one. */
export class CallLog {
  readonly calls: RecordedCall[] = [];
  private readonly waiters = new Set<CallWaiter>();

  record(method: string, params: MethodParams): RecordedCall {
    const call: RecordedCall = { index: this.calls.length, method, params, receivedAt: performance.timeOrigin + performance.now() };
    this.calls.push(call);
    return call;
  }

  /** Waiters are told once the answer is known, so a test that sees the call also sees its effect. */
  answered(call: RecordedCall, response: NonNullable<RecordedCall["response"]>): void {
    call.response = response;
    for (const waiter of [...this.waiters]) {
      if (waiter.method === call.method && waiter.predicate(call)) {
        this.waiters.delete(waiter);
        waiter.resolve(call);
      }
    }
  }

  waitForCall(method: string, predicate: (call: RecordedCall) => boolean, timeoutMs: number): Promise<RecordedCall> {
    const existing = this.calls.find((call) => call.method === method && call.response !== undefined && predicate(call));
    if (existing !== undefined) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = this.calls.filter((call) => call.method === method).length;
        reject(new Error(`No matching ${method} call within ${timeoutMs} ms (${seen} ${method} calls seen).`));
      }, timeoutMs);
      const waiter: CallWaiter = {
        method,
        predicate,
        resolve: (call) => {
          clearTimeout(timer);
          resolve(call);
        },
      };
      this.waiters.add(waiter);
    });
  }
}
