import { ModelCallError, NoModelAvailableError } from "../errors.js";
import { runModelCall, type ModelCallResult } from "../generation/run-model-call.js";
import { estimateMessagesTokens } from "../models/token-estimate.js";
import type { ModelMessage, TokenUsage } from "../ports/model-client.js";
import type { ModelServices } from "../services.js";
import type { DocumentPart, PartSource } from "./parts.js";
import { nextPlacement, reservationFor, type Placement, type PlacementRules } from "./part-placement.js";
import { ReadingCall } from "./reading-call.js";
import { forecastReading } from "./reading-forecast.js";
import type { ReadingLedger } from "./reading-ledger.js";
import { PoolSnapshot, type HeldCharge } from "./reading-pool.js";
import { Wakeup } from "./wakeup.js";

/** A call of a reading that says nothing for this long is given up (and its part fallen back from). */
const readingCallTimeoutMs = 60_000;
/** The reading looks again at least this often: others' answers may settle and free room early. */
const maxWaitMs = 5_000;

export interface ReadingRound {
  readonly source: PartSource;
  readonly messagesFor: (part: DocumentPart) => readonly ModelMessage[];
  readonly rules: PlacementRules;
  /** Every live answer model, best first: the quota a reading spreads over. */
  readonly candidates: readonly string[];
  readonly ledger: ReadingLedger;
  readonly signal: AbortSignal;
}

/** What became of one part: the model's answer, or why it could not be read. */
export interface PartOutcome {
  readonly part: DocumentPart;
  readonly answer?: string;
  readonly failure?: string;
}

/** Where a round stands, for the progress message. */
export interface RoundStatus {
  /** Parts whose answers are in (or that failed). */
  readonly done: number;
  /** Parts in all, as far as can be told: cut so far, and those the rest would make. */
  readonly total: number;
  /** About how long until the last answer is in. */
  readonly remainingMs: number;
}

/** What a finished call leaves in a model's minute, as the model's state settles it (model-state.ts). */
function settledTokens(reserved: number, usage: TokenUsage | undefined, completionBudget: number, usageOnly: boolean): number {
  if (usage === undefined) return reserved;
  const prompt = Math.max(0, usage.promptTokens - (usage.cachedPromptTokens ?? 0));
  const kept = Math.min(reserved, prompt + completionBudget);
  return usageOnly ? Math.min(kept, prompt + usage.completionTokens) : kept;
}

/**
 * One round of a reading: every part of its source sent to the models, as many at once as
 * their minutes have room for, each part on the model with the most room and cut to fill it
 * (part-placement.ts), through the one fallback engine, which reserves the quota, falls back
 * and never sends what a model's minute cannot take. Between sends the round waits for the
 * next moment room grows. Yields its status after every change; returns every part's outcome
 * in the document's order.
 */
export async function* runReadingRound(round: ReadingRound, services: ModelServices): AsyncGenerator<RoundStatus, PartOutcome[]> {
  const { clock, registry } = services;
  const { source, rules, ledger, signal } = round;
  const outcomes: PartOutcome[] = [];
  const running = new Set<Promise<void>>();
  const wakeup = new Wakeup(clock);
  /** A part handed to the engine but not yet sent: the models' states do not show it yet, so nothing else is placed meanwhile. */
  let unsent = 0;
  /** A failure no other model or part would avoid (the key refused): the round ends with it. */
  const ended: { fatal?: ModelCallError } = {};

  const snapshot = (now: number): PoolSnapshot => PoolSnapshot.of(registry, round.candidates, now, ledger.held, rules.completionBudget);
  const { chargeLengthMs } = snapshot(clock.now());

  const launch = (part: DocumentPart, placement: Placement): void => {
    const messages = round.messagesFor(part);
    const reserved = reservationFor(estimateMessagesTokens(messages), rules.completionBudget);
    let held: HeldCharge | undefined;
    let sentAt = 0;
    const call = new ReadingCall(
      {
        candidates: [placement.model, ...placement.fallbacks],
        messages,
        completionBudget: rules.completionBudget,
        arrivedAt: ledger.nextQueuePlace(),
        timeoutMs: readingCallTimeoutMs,
        onSend: (model) => {
          sentAt = clock.now();
          ledger.calls += 1;
          if (held === undefined) {
            unsent -= 1;
            held = ledger.hold({ model, expiresAt: sentAt + chargeLengthMs, tokens: reserved });
          }
          wakeup.notify();
        },
      },
      services.client,
    );
    unsent += 1;
    const task = drain(runModelCall(call, services, { signal }))
      .then(
        (result) => {
          if (held !== undefined) held.tokens = settledTokens(reserved, result.usage, rules.completionBudget, registry.state(held.model).completionAccounting === "usage_only");
          ledger.recordCall(clock.now() - sentAt, result.usage, result.attempts, result.spentTokens);
          outcomes.push({ part, answer: result.outcome });
        },
        (error: unknown) => {
          if (error instanceof NoModelAvailableError) {
            ledger.recordUnfinished(error.attempts, error.spentTokens);
            outcomes.push({ part, failure: "no model could read it in time" });
          } else if (error instanceof ModelCallError && !error.isRetryable && !signal.aborted) {
            // The key was refused: no part will do better.
            ended.fatal = error;
          } else {
            outcomes.push({ part, failure: "reading it failed" });
          }
        },
      )
      .finally(() => {
        if (held === undefined) unsent -= 1;
        running.delete(task);
        wakeup.notify();
      });
    running.add(task);
  };

  /** Sends parts while some model has room for one; leaves the rest for the next wake. */
  const launchWhatFits = (): void => {
    while (!source.finished && unsent === 0) {
      const now = clock.now();
      ledger.forgetExpired(now);
      if (now >= ledger.deadlineAt) {
        for (let part = source.take(Number.POSITIVE_INFINITY); part !== undefined; part = source.take(Number.POSITIVE_INFINITY)) {
          outcomes.push({ part, failure: "not read within the reading's time limit" });
        }
        return;
      }
      const pool = snapshot(now);
      const placement = nextPlacement(pool, now, rules);
      const part = placement === undefined ? undefined : source.take(placement.textRoom);
      if (placement !== undefined && part !== undefined) {
        launch(part, placement);
        continue;
      }
      // Nothing of this reading's is in any minute and nothing else will expire: the next part
      // is larger than any model could ever take (a stored part, after the limits changed).
      if (running.size === 0 && pool.nextChangeAfter(now) === undefined) {
        const tooLarge = source.take(Number.POSITIVE_INFINITY);
        if (tooLarge === undefined) return;
        outcomes.push({ part: tooLarge, failure: "it is larger than any model can take now" });
        continue;
      }
      return;
    }
  };

  const status = (): RoundStatus => {
    const now = clock.now();
    const forecast = forecastReading(snapshot(now), now, source, rules);
    const toSend = forecast?.parts ?? 0;
    const lastAnswerAt = (forecast?.lastSendAt ?? now) + ledger.typicalCallMs;
    return { done: outcomes.length, total: source.taken + toSend, remainingMs: Math.max(0, lastAnswerAt - now) };
  };

  try {
    for (;;) {
      signal.throwIfAborted();
      if (ended.fatal !== undefined) throw ended.fatal;
      launchWhatFits();
      if (source.finished && running.size === 0) break;
      yield status();
      const now = clock.now();
      const nextChange = snapshot(now).nextChangeAfter(now);
      await wakeup.until(Math.min(nextChange ?? Number.POSITIVE_INFINITY, now + maxWaitMs), signal);
    }
  } finally {
    // Whatever ended the round, no call of it is left to settle unseen.
    await Promise.allSettled([...running]);
  }
  return outcomes.sort((first, second) => first.part.index - second.part.index);
}

/** Runs a call to its end, its text and queue notices unseen: a reading shows its own progress. */
async function drain<Outcome>(running: AsyncGenerator<unknown, ModelCallResult<Outcome>>): Promise<ModelCallResult<Outcome>> {
  for (;;) {
    const step = await running.next();
    if (step.done === true) return step.value;
  }
}
