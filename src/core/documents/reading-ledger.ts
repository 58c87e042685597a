import { addUsage } from "../generation/run-model-call.js";
import type { RequestCost } from "../conversation/request-cost.js";
import type { AttemptRecord } from "../errors.js";
import type { TokenUsage } from "../ports/model-client.js";
import type { HeldCharge } from "./reading-pool.js";

/** Until parts have been timed, a part's call is taken to take this long. */
const assumedCallMs = 5_000;

/**
 * What one reading keeps across its rounds (parts, then notes merged): what it holds in the
 * models' minutes, its place in the quota queue, its deadline, how long its calls take, and
 * what they cost, for the reply and the user's daily usage.
 */
export class ReadingLedger {
  readonly held: HeldCharge[] = [];
  private sequence = 0;
  private callMsTotal = 0;
  private callsTimed = 0;
  usage: TokenUsage | undefined;
  readonly attempts: AttemptRecord[] = [];
  /** Calls that went out, whatever became of them. */
  calls = 0;

  constructor(
    /** After this no part is sent; what is not read by then is left out and said so. */
    readonly deadlineAt: number,
    /** The request's cost: every call of the reading is charged to its user's day. */
    private readonly cost: RequestCost,
  ) {}

  /**
   * A place in the quota queue behind every ordinary message: the queue serves in arrival
   * order, and a part "arrives" at the reading's deadline, later than any message that can
   * arrive while it is read. Parts keep the document's order among themselves.
   */
  nextQueuePlace(): number {
    this.sequence += 1;
    return this.deadlineAt + this.sequence;
  }

  hold(charge: HeldCharge): HeldCharge {
    this.held.push(charge);
    return charge;
  }

  /** Drops what has left every model's minute, so the list stays as short as the minute. */
  forgetExpired(now: number): void {
    for (let index = this.held.length - 1; index >= 0; index -= 1) {
      if ((this.held[index]?.expiresAt ?? 0) <= now) this.held.splice(index, 1);
    }
  }

  recordCall(milliseconds: number, usage: TokenUsage | undefined, attempts: readonly AttemptRecord[], spentTokens: number): void {
    this.cost.add("answer", spentTokens);
    this.callMsTotal += milliseconds;
    this.callsTimed += 1;
    this.usage = addUsage(this.usage, usage);
    this.attempts.push(...attempts);
  }

  /** A part no model could read still cost what its calls spent. */
  recordUnfinished(attempts: readonly AttemptRecord[], spentTokens: number): void {
    this.cost.add("answer", spentTokens);
    this.attempts.push(...attempts);
  }

  /** How long a call of this reading takes, on average so far. */
  get typicalCallMs(): number {
    return this.callsTimed === 0 ? assumedCallMs : this.callMsTotal / this.callsTimed;
  }
}
