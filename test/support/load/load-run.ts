/**
 * Runs a planned load through one platform's fake while faults are dealt out, then waits for
 * every message to settle (a final reply, or the adapter's apology) and measures the process.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { FakeGroq } from "../../fakes/fake-groq/index.js";
import { dealFaults, type Fault } from "./fault-schedule.js";
import { loadOutcomeOf, type LoadRecord } from "./load-outcome.js";
import type { PlannedMessage } from "./load-plan.js";
import type { ReplyLedger } from "./reply-ledger.js";

/** A message as the platform's fake placed it. */
export interface SentMessage {
  readonly chatId: string;
  readonly messageId: string;
}

/** What the run needs of a platform: how a user sends, and what the chat shows in reply. */
export interface LoadTarget {
  readonly name: string;
  readonly groq: FakeGroq;
  readonly ledger: ReplyLedger;
  readonly apologyText: string;
  readonly wholeReplyShown: boolean;
  send(message: PlannedMessage): SentMessage;
  shownInReply(sent: SentMessage): string[];
}

export interface LoadFigures {
  readonly platform: string;
  readonly records: readonly LoadRecord[];
  readonly faultsDealt: readonly string[];
  /** Chat completions Groq answered with 429, and all chat completions. */
  readonly provider429s: number;
  readonly providerCalls: number;
  readonly rssMb: number;
  readonly eventLoopDelayP99Ms: number;
  readonly eventLoopDelayMaxMs: number;
  readonly durationMs: number;
}

export interface LoadOptions {
  readonly faults: readonly (readonly Fault[])[];
  readonly faultIntervalMs: number;
  /** Longest the run waits, after the last message was sent, for every message to settle. */
  readonly settleLimitMs: number;
}

const histogramResolutionMs = 10;

export async function runLoad(target: LoadTarget, planned: readonly PlannedMessage[], options: LoadOptions): Promise<LoadFigures> {
  const delay = monitorEventLoopDelay({ resolution: histogramResolutionMs });
  const callsBefore = target.groq.calls.length;
  delay.enable();
  const startedAt = Date.now();
  const dealer = dealFaults(options.faults, options.faultIntervalMs);
  const sent: (SentMessage | undefined)[] = planned.map(() => undefined);
  await Promise.all(
    planned.map(async (message, position) => {
      await sleep(Math.max(0, startedAt + message.arrivalMs - Date.now()));
      sent[position] = target.send(message);
    }),
  );
  const faultsDealt = dealer.stop();
  const settled = (item: SentMessage | undefined): boolean =>
    item !== undefined && (target.ledger.finalsOf(item.chatId, item.messageId).length > 0 || target.shownInReply(item).includes(target.apologyText));
  const settleBy = Date.now() + options.settleLimitMs;
  while (!sent.every(settled) && Date.now() < settleBy) await sleep(200);
  delay.disable();

  const records = planned.map((message, position) => {
    const item = sent[position]!;
    return loadOutcomeOf(message, target.ledger.finalsOf(item.chatId, item.messageId), target.shownInReply(item), target.apologyText, target.wholeReplyShown);
  });
  const calls = target.groq.calls.slice(callsBefore).filter((call) => call.path.endsWith("/chat/completions"));
  // The histogram counts its own sampling interval in every figure.
  const stall = (nanoseconds: number): number => Math.max(0, nanoseconds / 1e6 - histogramResolutionMs);
  return {
    platform: target.name,
    records,
    faultsDealt,
    provider429s: calls.filter((call) => call.status === 429).length,
    providerCalls: calls.length,
    rssMb: process.memoryUsage.rss() / 1024 / 1024,
    eventLoopDelayP99Ms: stall(delay.percentile(99)),
    eventLoopDelayMaxMs: stall(delay.max),
    durationMs: Date.now() - startedAt,
  };
}
