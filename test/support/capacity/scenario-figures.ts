import { countPromptTokens } from "../../fakes/fake-groq/index.js";
import { percentile } from "../statistics.js";
import { lateKindOf, outcomeOf, outcomes, type LateKind, type MessageRecord, type Outcome } from "./message-outcome.js";
import { leastReasoningTokensByModel } from "./bench-models.js";
import { oracleCeiling, type OracleCeiling, type OracleDispatch, type OracleMessage, type OracleModel } from "./oracle.js";
import { distributionAwareMessages } from "./distribution-ceiling.js";
import { firstMinuteTokens, type FirstMinuteTokens } from "./first-minute-tokens.js";
import { continuationsByTag, upstreamFigures, type UpstreamCall, type UpstreamFigures } from "./upstream-calls.js";
import type { BurstMessage } from "./workload.js";

const minuteMs = 60_000;

export interface ScenarioFigures {
  readonly name: string;
  readonly offered: number;
  readonly outcomes: Readonly<Record<Outcome, number>>;
  /** Lost messages by why: the complete answer came late, the "try again" came late, something else came late, nothing came. */
  readonly lost: Readonly<Record<LateKind, number>>;
  /** How long after its deadline each late final reply came. */
  readonly latenessMs: readonly number[];
  /** Answered complete by 60 s after the burst's start. */
  readonly answeredInFirstMinute: number;
  /** What the answer models' tokens admitted in the burst's first minute bought. */
  readonly firstMinuteTokens: FirstMinuteTokens;
  /**
   * The organization's ceiling (every live answer model) for this workload; it differs between
   * scenarios only if Mami's system prompt does (the allowance below comes from its calls).
   */
  readonly oracle: OracleCeiling;
  /**
   * The same ceiling without the reasoning the models cannot skip, as it was measured before:
   * usually a little above what the work allows (a stricter bar for Mami), kept for comparing
   * with earlier runs.
   */
  readonly oracleWithoutReasoning: Pick<OracleCeiling, "firstMinute" | "withinDeadlines">;
  /**
   * The ceiling where Groq keeps reservations, for a scheduler that knows each kind's answer
   * lengths but not each answer's (distribution-ceiling.ts), with the budget it asks per kind.
   */
  readonly distributionAware: OracleCeiling & { readonly budgetByKind: ReadonlyMap<string, number> };
  /**
   * Where Mami's answers and the ceiling's differ: messages offered, answered complete by Mami,
   * and answered in the schedule behind the ceiling's horizon figure, by kind and by when they
   * arrived (slices of `arrivalSliceMs`).
   */
  readonly againstCeiling: { readonly byKind: ReadonlyMap<string, AnsweredAgainstCeiling>; readonly byArrival: ReadonlyMap<number, AnsweredAgainstCeiling> };
  /** The system prompt allowance the oracle charged each message, from Mami's recorded calls. */
  readonly systemPromptAllowance: number;
  readonly upstream: UpstreamFigures;
  readonly continuationsPerAnswer: number;
  readonly timeToAnswerMs: { readonly p50: number; readonly p95: number };
  readonly queueNotices: number;
  readonly queuedThenAnswered: number;
  readonly queuedThenBusy: number;
  /** The text of each kind of other error the users saw, with how often. */
  readonly otherErrorTexts: ReadonlyMap<string, number>;
  /** Messages that got more than one final reply: must be 0. */
  readonly answeredTwice: number;
}

/** One group of messages: how many were offered, answered complete by Mami, and by the ceiling's schedule. */
export interface AnsweredAgainstCeiling {
  readonly offered: number;
  readonly answered: number;
  readonly ceiling: number;
}

/** The arrival slices `againstCeiling` groups messages by. */
export const arrivalSliceMs = 5_000;

/** Groups the messages by kind and by arrival; `answered` holds the tags Mami answered complete, `schedule` is the ceiling's, by message. */
export function againstCeiling(messages: readonly BurstMessage[], answered: ReadonlySet<string>, schedule: readonly (OracleDispatch | undefined)[]): ScenarioFigures["againstCeiling"] {
  const byKind = new Map<string, AnsweredAgainstCeiling>();
  const byArrival = new Map<number, AnsweredAgainstCeiling>();
  const add = <Key>(groups: Map<Key, AnsweredAgainstCeiling>, key: Key, one: AnsweredAgainstCeiling): void => {
    const group = groups.get(key) ?? { offered: 0, answered: 0, ceiling: 0 };
    groups.set(key, { offered: group.offered + one.offered, answered: group.answered + one.answered, ceiling: group.ceiling + one.ceiling });
  };
  messages.forEach((message, index) => {
    const one = { offered: 1, answered: answered.has(message.tag) ? 1 : 0, ceiling: schedule[index] === undefined ? 0 : 1 };
    add(byKind, message.kind, one);
    add(byArrival, Math.floor(message.arrivalMs / arrivalSliceMs) * arrivalSliceMs, one);
  });
  return { byKind, byArrival };
}

/**
 * What each message costs the oracle: the system prompt allowance, the user's text and the whole
 * answer, and on each of `answerModelIds` the reasoning that model spends even at its lowest
 * effort (none given: the ceiling without that reasoning).
 */
export function oracleMessages(messages: readonly BurstMessage[], systemPromptAllowance: number, answerModelIds: readonly string[]): OracleMessage[] {
  return messages.map((message) => ({
    arrivalMs: message.arrivalMs,
    tokens: systemPromptAllowance + countPromptTokens([{ role: "user", content: message.text.trim() }]) + message.answerTokens,
    leastReasoningTokens: leastReasoningTokensByModel(message, answerModelIds),
  }));
}

export function scenarioFigures(input: {
  readonly name: string;
  readonly messages: readonly BurstMessage[];
  readonly records: readonly (MessageRecord | undefined)[];
  readonly startedAt: number;
  readonly calls: readonly UpstreamCall[];
  readonly oracleModels: readonly OracleModel[];
  readonly deadlineMs: number;
}): ScenarioFigures {
  const records = input.records.filter((record): record is MessageRecord => record !== undefined);
  const counts = Object.fromEntries(outcomes.map((outcome) => [outcome, 0])) as Record<Outcome, number>;
  for (const record of records) counts[outcomeOf(record, input.deadlineMs)] += 1;
  // A message the run never offered (cut short) counts as lost: every message is accounted for.
  counts.lost += input.messages.length - records.length;
  const complete = records.filter((record) => outcomeOf(record, input.deadlineMs) === "answered_complete");
  const upstream = upstreamFigures(input.calls);
  // The shortest system prompt Mami sent: charged to every message, the ceiling is never lower
  // for a system prompt some of Mami's calls did not pay (roles' prompts differ by a few tokens).
  const systemPromptAllowance = upstream.systemPromptTokens.length === 0 ? 0 : Math.min(...upstream.systemPromptTokens);
  const continuations = continuationsByTag(input.calls);
  const queued = records.filter((record) => record.queueNoticeShown);
  const completeByMinute = complete.filter((record) => (record.final?.at ?? Number.POSITIVE_INFINITY) <= input.startedAt + minuteMs);
  const answerModelIds = input.oracleModels.map((model) => model.id);
  const oraclePrices = oracleMessages(input.messages, systemPromptAllowance, answerModelIds);
  const oracle = oracleCeiling(oraclePrices, input.oracleModels, input.deadlineMs);
  const withoutReasoning = oracleCeiling(oracleMessages(input.messages, systemPromptAllowance, []), input.oracleModels, input.deadlineMs);
  return {
    name: input.name,
    offered: input.messages.length,
    outcomes: counts,
    lost: {
      late_answer: records.filter((record) => lateKindOf(record, input.deadlineMs) === "late_answer").length,
      late_busy: records.filter((record) => lateKindOf(record, input.deadlineMs) === "late_busy").length,
      late_other: records.filter((record) => lateKindOf(record, input.deadlineMs) === "late_other").length,
      no_reply: records.filter((record) => lateKindOf(record, input.deadlineMs) === "no_reply").length + input.messages.length - records.length,
    },
    latenessMs: records.flatMap((record) => {
      const late = lateKindOf(record, input.deadlineMs);
      return late === undefined || record.final === undefined ? [] : [record.final.at - (record.arrivedAt + input.deadlineMs)];
    }),
    answeredInFirstMinute: completeByMinute.length,
    firstMinuteTokens: firstMinuteTokens({
      calls: input.calls,
      // Without reasoning: which model's reasoning an answer paid depends on where Mami sent it,
      // and the reasoning Mami's calls spent is read off as part of the rest.
      oraclePrice: new Map(input.messages.map((message, index) => [message.tag, oraclePrices[index]?.tokens ?? 0])),
      completeByMinute: new Set(completeByMinute.map((record) => record.message.tag)),
      startedAt: input.startedAt,
      capacity: input.oracleModels.reduce((total, model) => total + model.tokensPerMinute, 0),
    }),
    oracle,
    oracleWithoutReasoning: { firstMinute: withoutReasoning.firstMinute, withinDeadlines: withoutReasoning.withinDeadlines },
    againstCeiling: againstCeiling(input.messages, new Set(complete.map((record) => record.message.tag)), oracle.withinDeadlinesSchedule),
    distributionAware: (() => {
      const aware = distributionAwareMessages(input.messages, systemPromptAllowance, answerModelIds);
      return { ...oracleCeiling(aware.messages, input.oracleModels, input.deadlineMs), budgetByKind: aware.budgetByKind };
    })(),
    systemPromptAllowance,
    upstream,
    continuationsPerAnswer: complete.length === 0 ? 0 : complete.reduce((total, record) => total + (continuations.get(record.message.tag) ?? 0), 0) / complete.length,
    timeToAnswerMs: {
      p50: percentile(complete.map((record) => (record.final?.at ?? 0) - record.arrivedAt), 0.5),
      p95: percentile(complete.map((record) => (record.final?.at ?? 0) - record.arrivedAt), 0.95),
    },
    queueNotices: queued.length,
    queuedThenAnswered: queued.filter((record) => outcomeOf(record, input.deadlineMs) === "answered_complete").length,
    queuedThenBusy: queued.filter((record) => outcomeOf(record, input.deadlineMs) === "told_busy").length,
    otherErrorTexts: countTexts(records.filter((record) => outcomeOf(record, input.deadlineMs) === "other_error").map((record) => record.final?.text ?? "")),
    answeredTwice: records.filter((record) => record.extraFinals > 0).length,
  };
}

function countTexts(texts: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) counts.set(text.slice(0, 90), (counts.get(text.slice(0, 90)) ?? 0) + 1);
  return counts;
}
