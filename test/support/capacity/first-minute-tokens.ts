import type { UpstreamCall } from "./upstream-calls.js";

/**
 * Where the answer models' first minute went: the tokens their calls admitted by 60 s after the
 * burst's start (prompt and completion, as Groq counts use), split by what they bought. The
 * oracle spends the same minute on complete answers only, each at its exact price; whatever else
 * Mami's calls bought is what its first-minute share lost. Each model's own minute starts with
 * its first call, so this is a reading of the burst's first minute, not of every model's.
 */
export interface FirstMinuteTokens {
  /** What the live answer models' minutes hold together. */
  readonly capacity: number;
  /** Tokens of answer calls admitted by 60 s. */
  readonly admitted: number;
  /** What the answers complete by 60 s cost at the oracle's prices (allowance, text, answer). */
  readonly completeAnswersAtOraclePrice: number;
  /** Continuation calls admitted by 60 s: each sends the prompt and what was said again. */
  readonly continuations: number;
  /** First calls of answers that were not complete by 60 s (cut and continued later, or never). */
  readonly unfinishedAnswers: number;
}

export function firstMinuteTokens(input: {
  readonly calls: readonly UpstreamCall[];
  /** By tag: what each message costs the oracle. */
  readonly oraclePrice: ReadonlyMap<string, number>;
  /** The tags of the messages answered complete by 60 s. */
  readonly completeByMinute: ReadonlySet<string>;
  readonly startedAt: number;
  readonly capacity: number;
}): FirstMinuteTokens {
  const minuteEnd = input.startedAt + 60_000;
  let admitted = 0;
  let continuations = 0;
  let unfinishedAnswers = 0;
  for (const { call, purpose, tag, continuation } of input.calls) {
    if (purpose !== "answer" || call.status !== 200 || call.tokens === undefined || call.at > minuteEnd) continue;
    const tokens = call.tokens.prompt + call.tokens.completion;
    admitted += tokens;
    if (continuation) continuations += tokens;
    else if (tag === undefined || !input.completeByMinute.has(tag)) unfinishedAnswers += tokens;
  }
  let completeAnswersAtOraclePrice = 0;
  for (const tag of input.completeByMinute) completeAnswersAtOraclePrice += input.oraclePrice.get(tag) ?? 0;
  return { capacity: input.capacity, admitted, completeAnswersAtOraclePrice, continuations, unfinishedAnswers };
}
