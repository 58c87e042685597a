import { setMaxListeners } from "node:events";
import { startFakeGroq, type FakeGroq } from "../../fakes/fake-groq/index.js";
import { startTelegramEndToEnd } from "../../adapters/telegram/telegram-end-to-end.js";
import { startMamiHarness } from "../mami-harness.js";
import { recordingLogger, type LoggedLine } from "../recording-logger.js";
import { watchAccounting, type AccountingBelief } from "./accounting-watch.js";
import { watchQuotaView, type QuotaViewGap } from "./quota-view-watch.js";
import { VirtualTime } from "../virtual-time.js";
import { benchModels, benchModelsWithFirstByteAfter, benchModelsWithoutDelays, benchModelTime, liveAnswerModelIds, oracleModels } from "./bench-models.js";
import type { BurstTiming } from "./burst-timing.js";
import { runInProcessBurst, type BurstRun } from "./in-process-burst.js";
import { burstResponder } from "./responder.js";
import { scenarioFigures, type ScenarioFigures } from "./scenario-figures.js";
import { steeredCore } from "./steered-core.js";
import { runTelegramBurst } from "./telegram-burst.js";
import { upstreamCalls } from "./upstream-calls.js";
import { virtualBurstTime } from "./virtual-burst-time.js";
import type { BurstMessage } from "./workload.js";

export interface Scenario {
  readonly name: string;
  /** How the fake Groq counts a finished call against TPM (GROQ.md: undocumented, so both). */
  readonly accounting: "reservation_kept" | "usage_only";
  /** Mami's settings, on top of the harness's. */
  readonly settings: Record<string, string>;
  /**
   * `in_process`: the core's handle(), called as the adapters call it. `telegram`: the real
   * grammY bot against the fake Bot API. `telegram_with_arrival_times`: the same, but the bench
   * hands the core each message's arrival time, which the adapter leaves out.
   */
  readonly path: "in_process" | "telegram" | "telegram_with_arrival_times";
  /** When set, the answer models' first byte comes this long after each call (bench-models.ts). */
  readonly answerFirstByteMs?: number;
  /**
   * `virtual`: Mami and the fake Groq share a clock that moves only while nothing is on the wire,
   * each call taking its time at the bench's speeds on it (bench-models.ts): a run takes seconds,
   * and the machine's load hardly moves its figures. In-process only. Default: the wall clock.
   */
  readonly time?: "wall" | "virtual";
}

export interface ScenarioResult {
  readonly figures: ScenarioFigures;
  /** What Mami had learned by the end about how Groq counts finished calls, per answer model. */
  readonly accounting: readonly AccountingBelief[];
  /** How far Mami's view of each answer model's minute was from Groq's count over the run. */
  readonly quotaView: readonly QuotaViewGap[];
  readonly logs: readonly LoggedLine[];
  readonly run: BurstRun;
}

/** The models whose limits make up the organization's ceiling. */
export interface CeilingModels {
  readonly ids: readonly string[];
}

export async function runScenario(scenario: Scenario, messages: readonly BurstMessage[], timing: BurstTiming, ceiling: CeilingModels): Promise<ScenarioResult> {
  const time = scenario.time === "virtual" ? new VirtualTime() : undefined;
  if (time !== undefined && (scenario.path !== "in_process" || scenario.answerFirstByteMs !== undefined)) throw new Error("Only the in-process path at the bench's speeds runs on virtual time.");
  const models = time !== undefined ? benchModelsWithoutDelays : scenario.answerFirstByteMs === undefined ? benchModels : benchModelsWithFirstByteAfter(scenario.answerFirstByteMs);
  const groq = await startFakeGroq({ models, respond: burstResponder(messages), completionAccounting: scenario.accounting, ...(time === undefined ? {} : { now: () => time.clock.now() }) });
  const logs: LoggedLine[] = [];
  const beliefs: Beliefs = { accounting: [], quotaView: [] };
  try {
    const run =
      time !== undefined
        ? await onVirtualTime(time, groq, scenario, messages, timing, logs)
        : scenario.path === "in_process"
          ? await inProcess(groq, scenario, messages, timing, logs, beliefs)
          : await throughTelegram(groq, scenario, messages, timing, logs, beliefs);
    const figures = scenarioFigures({
      name: scenario.name,
      messages,
      records: run.records,
      startedAt: run.startedAt,
      calls: upstreamCalls(groq.calls),
      oracleModels: oracleModels(ceiling.ids),
      deadlineMs: timing.deadlineMs,
    });
    return { figures, logs, run, accounting: beliefs.accounting, quotaView: beliefs.quotaView };
  } finally {
    await groq.close();
  }
}

interface Beliefs {
  accounting: readonly AccountingBelief[];
  quotaView: readonly QuotaViewGap[];
}

/** The tokens a minute of `model` holds at the fake Groq. */
function tokensPerMinuteOf(model: string): number {
  return benchModels.find((spec) => spec.id === model)?.tokensPerMinute ?? 0;
}

async function inProcess(groq: FakeGroq, scenario: Scenario, messages: readonly BurstMessage[], timing: BurstTiming, logs: LoggedLine[], beliefs: Beliefs): Promise<BurstRun> {
  const harness = await startMamiHarness({ groq, env: scenario.settings, logger: recordingLogger(logs) });
  const watch = watchAccounting(harness.mami, liveAnswerModelIds);
  const view = watchQuotaView(harness.mami, groq, liveAnswerModelIds, tokensPerMinuteOf);
  try {
    return await runInProcessBurst(harness.mami, messages, timing);
  } finally {
    beliefs.quotaView = await view.stop();
    beliefs.accounting = await watch.stop();
    await harness.close();
  }
}

/**
 * In-process on virtual time. The watches of Mami's beliefs sample on wall-clock timers, which
 * mean nothing here: they are left out.
 */
async function onVirtualTime(time: VirtualTime, groq: FakeGroq, scenario: Scenario, messages: readonly BurstMessage[], timing: BurstTiming, logs: LoggedLine[]): Promise<BurstRun> {
  const harness = await startMamiHarness({ groq, env: scenario.settings, logger: recordingLogger(logs), clock: time.clock, wrapClient: (client) => time.wrap(client, benchModelTime) });
  try {
    return await runInProcessBurst(harness.mami, messages, timing, virtualBurstTime(time));
  } finally {
    await harness.close();
  }
}

async function throughTelegram(groq: FakeGroq, scenario: Scenario, messages: readonly BurstMessage[], timing: BurstTiming, logs: LoggedLine[], beliefs: Beliefs): Promise<BurstRun> {
  const stopping = new AbortController();
  // Every message listens to the one stop signal.
  setMaxListeners(messages.length + 10, stopping.signal);
  const arrivals = new Map<string, number>();
  const rig = await startTelegramEndToEnd({
    harness: { groq, env: scenario.settings, logger: recordingLogger(logs) },
    wrapCore: (mami) =>
      steeredCore(mami, {
        stop: stopping.signal,
        ...(scenario.path === "telegram_with_arrival_times" ? { receivedAtOf: (request) => arrivals.get(`${request.location.chatId}:${request.messageId}`) } : {}),
      }),
  });
  const watch = watchAccounting(rig.harness.mami, liveAnswerModelIds);
  const view = watchQuotaView(rig.harness.mami, groq, liveAnswerModelIds, tokensPerMinuteOf);
  try {
    return await runTelegramBurst(
      rig.telegram,
      messages,
      timing,
      () => stopping.abort(new Error("the bench's watch is over")),
      (chatId, messageId, arrivedAt) => arrivals.set(`${chatId}:${messageId}`, arrivedAt),
    );
  } finally {
    beliefs.quotaView = await view.stop();
    beliefs.accounting = await watch.stop();
    await rig.close();
  }
}
