/**
 * Who is answered now, so that one user cannot hold the bot: both platforms' requests pass
 * through one gate in the core's `receive`.
 *
 * - One conversation runs one request at a time, in order: its history must hold the previous
 *   answer before the next message is answered. In a group each reply thread is a conversation
 *   of its own, so one member's slow request does not hold up the others'.
 * - One user runs one request at a time, and at most `maxWaitingPerUser` more wait behind it;
 *   anything beyond is refused at once (the caller says "one at a time").
 * - At most `maxRunning` requests run at once, all users together; the others wait in arrival
 *   order, each user's and each conversation's in the order they came.
 *
 * A place is taken synchronously, when the request arrives, with only its user known: the
 * conversation of a group reply has to be looked up in the store, and a later message of the
 * same user must not overtake it meanwhile. Until the conversation is named the place waits and
 * keeps its user's later requests behind it.
 */

export interface GateLimits {
  /** Requests running at once, all users together. */
  readonly maxRunning: number;
  /** Requests of one user that may wait behind the one running; more are refused. */
  readonly maxWaitingPerUser: number;
}

export interface GatePlace {
  /** Names the request's conversation; the place can start once it is named. */
  setConversation(conversation: string): void;
  /** Resolves when the request may run; rejects with the abort reason if the signal aborts first. */
  readonly turn: Promise<void>;
  /** Whether it still waits for its turn. */
  readonly waiting: boolean;
  /** Gives the place up, whether it runs or still waits. Calling it again does nothing. */
  leave(): void;
}

interface Entry {
  readonly user: string;
  conversation: string | undefined;
  state: "waiting" | "running" | "left";
  start(): void;
}

export class RequestGate {
  /** Waiting entries, oldest first. */
  private readonly waiting: Entry[] = [];
  private readonly runningUsers = new Set<string>();
  private readonly runningConversations = new Set<string>();
  /** Per user: requests waiting or running. */
  private readonly heldByUser = new Map<string, number>();
  private runningCount = 0;

  constructor(private readonly limits: GateLimits) {
    if (!(limits.maxRunning >= 1) || !(limits.maxWaitingPerUser >= 0)) {
      throw new RangeError("maxRunning must be at least 1 and maxWaitingPerUser at least 0");
    }
  }

  get running(): number {
    return this.runningCount;
  }

  get waitingCount(): number {
    return this.waiting.length;
  }

  /** A place for the user's request, or undefined when the user already has as many as allowed. */
  enter(user: string, signal?: AbortSignal): GatePlace | undefined {
    const held = this.heldByUser.get(user) ?? 0;
    if (held >= 1 + this.limits.maxWaitingPerUser) return undefined;
    if (signal?.aborted === true) {
      return { setConversation: () => undefined, turn: rejected(signal.reason), waiting: false, leave: () => undefined };
    }
    this.heldByUser.set(user, held + 1);

    let started = (): void => undefined;
    let failed = (_reason: unknown): void => undefined;
    const turn = new Promise<void>((resolve, reject) => {
      started = resolve;
      failed = reject;
    });
    // Whoever takes the place may stop listening (its request ended); an abort then is no error.
    turn.catch(() => undefined);

    const onAbort = (): void => {
      if (entry.state !== "waiting") return;
      this.remove(entry);
      failed(signal?.reason);
    };
    const entry: Entry = {
      user,
      conversation: undefined,
      state: "waiting",
      start: () => {
        signal?.removeEventListener("abort", onAbort);
        started();
      },
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    this.waiting.push(entry);

    return {
      turn,
      get waiting() {
        return entry.state === "waiting";
      },
      setConversation: (conversation) => {
        if (entry.state !== "waiting" || entry.conversation !== undefined) return;
        entry.conversation = conversation;
        this.startWhatCan();
      },
      leave: () => {
        signal?.removeEventListener("abort", onAbort);
        if (entry.state === "waiting") failed(new Error("left the gate before its turn"));
        this.remove(entry);
      },
    };
  }

  private remove(entry: Entry): void {
    if (entry.state === "left") return;
    if (entry.state === "running") {
      this.runningCount -= 1;
      this.runningUsers.delete(entry.user);
      if (entry.conversation !== undefined) this.runningConversations.delete(entry.conversation);
    } else {
      const index = this.waiting.indexOf(entry);
      if (index !== -1) this.waiting.splice(index, 1);
    }
    entry.state = "left";
    const held = (this.heldByUser.get(entry.user) ?? 1) - 1;
    if (held <= 0) this.heldByUser.delete(entry.user);
    else this.heldByUser.set(entry.user, held);
    this.startWhatCan();
  }

  /**
   * Starts waiting entries in arrival order while there is room. An entry that cannot start
   * keeps every later entry of its user and of its conversation waiting too, so neither order
   * is ever overtaken.
   */
  private startWhatCan(): void {
    const blockedUsers = new Set<string>();
    const blockedConversations = new Set<string>();
    let index = 0;
    while (index < this.waiting.length && this.runningCount < this.limits.maxRunning) {
      const entry = this.waiting[index];
      if (entry === undefined) break;
      const conversation = entry.conversation;
      const free =
        conversation !== undefined &&
        !blockedUsers.has(entry.user) &&
        !this.runningUsers.has(entry.user) &&
        !blockedConversations.has(conversation) &&
        !this.runningConversations.has(conversation);
      if (!free) {
        blockedUsers.add(entry.user);
        if (conversation !== undefined) blockedConversations.add(conversation);
        index += 1;
        continue;
      }
      this.waiting.splice(index, 1);
      entry.state = "running";
      this.runningCount += 1;
      this.runningUsers.add(entry.user);
      this.runningConversations.add(conversation);
      entry.start();
    }
  }
}

function rejected(reason: unknown): Promise<void> {
  const promise = Promise.reject(reason instanceof Error ? reason : new Error(String(reason)));
  promise.catch(() => undefined);
  return promise;
}
