import { countPromptTokens, type RecordedCall } from "../../fakes/fake-groq/index.js";
import { shownSoFar } from "../continued-answer.js";
import { isRouterCall, isSafetyModel, tagOf } from "./responder.js";

/**
 * Every chat completion call Mami made to the fake Groq during the burst, sorted by purpose:
 * an answer (or a continuation of one) for a tagged message, a safety screen, or a router call.
 */
export type CallPurpose = "answer" | "safety" | "router";

export interface UpstreamCall {
  readonly call: RecordedCall;
  readonly purpose: CallPurpose;
  /** For answers: the message's tag. */
  readonly tag: string | undefined;
  /** An answer call that goes on with an answer cut off at its completion budget. */
  readonly continuation: boolean;
  /** For answers: the role Mami answered as, read from its system prompt. */
  readonly role: string | undefined;
  readonly messages: readonly unknown[];
}

/** Each role's own line in Mami's system prompt (pipeline/build-prompt.ts). */
const roleGuidance: readonly (readonly [string, string])[] = [
  ["chat", "Be friendly and to the point."],
  ["logic", "Work step by step"],
  ["code", "Put code in fenced blocks"],
  ["vision", "Describe or analyse the images"],
  ["long_context", "The user shared long material"],
];

function messagesOf(call: RecordedCall): readonly unknown[] {
  const body = call.body as { messages?: unknown } | undefined;
  return Array.isArray(body?.messages) ? (body.messages as unknown[]) : [];
}

function systemText(messages: readonly unknown[]): string | undefined {
  const [first] = messages as { role?: unknown; content?: unknown }[];
  return first?.role === "system" && typeof first.content === "string" ? first.content : undefined;
}

export function upstreamCalls(calls: readonly RecordedCall[]): UpstreamCall[] {
  return calls
    .filter((call) => call.path.endsWith("/chat/completions"))
    .map((call): UpstreamCall => {
      const messages = messagesOf(call);
      const purpose: CallPurpose = isSafetyModel(call.model ?? "") ? "safety" : isRouterCall(messages) ? "router" : "answer";
      const system = systemText(messages) ?? "";
      return {
        call,
        purpose,
        tag: purpose === "answer" ? tagOf(messages) : undefined,
        continuation: purpose === "answer" && shownSoFar(messages) !== undefined,
        role: purpose === "answer" ? roleGuidance.find(([, guidance]) => system.includes(guidance))?.[0] : undefined,
        messages,
      };
    });
}

export interface UpstreamFigures {
  readonly calls: number;
  readonly rateLimited: number;
  readonly tooLarge: number;
  /** 429s and 413s by purpose and model, e.g. "safety openai/gpt-oss-safeguard-20b". */
  readonly refusedBy: ReadonlyMap<string, number>;
  /** Σ tokens charged up front / Σ prompt + completion, over successful answer calls. */
  readonly reservedPerUsedAnswers: number;
  /** The same over every successful call, safety screens and router calls included. */
  readonly reservedPerUsedAll: number;
  /** Successful calls by purpose. */
  readonly answerCalls: number;
  readonly safetyCalls: number;
  readonly routerCalls: number;
  /** The completion budgets Mami asked for on answer calls, by the role it answered as. */
  readonly budgetsByRole: ReadonlyMap<string, readonly number[]>;
  /** The system prompt of each first answer call, in the fake's tokens. */
  readonly systemPromptTokens: readonly number[];
}

function reservedPerUsed(calls: readonly UpstreamCall[]): number {
  let reserved = 0;
  let used = 0;
  for (const { call } of calls) {
    if (call.status !== 200 || call.tokens === undefined) continue;
    reserved += call.tokens.upFront;
    used += call.tokens.prompt + call.tokens.completion;
  }
  return used === 0 ? Number.NaN : reserved / used;
}

export function upstreamFigures(calls: readonly UpstreamCall[]): UpstreamFigures {
  const succeeded = calls.filter(({ call }) => call.status === 200);
  const answers = calls.filter((call) => call.purpose === "answer");
  const refusedBy = new Map<string, number>();
  for (const { call, purpose } of calls) {
    if (call.status !== 429 && call.status !== 413) continue;
    const key = `${call.status} ${purpose} ${call.model ?? "?"}`;
    refusedBy.set(key, (refusedBy.get(key) ?? 0) + 1);
  }
  const budgetsByRole = new Map<string, number[]>();
  for (const { call, role } of answers) {
    const budget = (call.body as { max_completion_tokens?: unknown }).max_completion_tokens;
    if (typeof budget !== "number") continue;
    const key = role ?? "unknown";
    budgetsByRole.set(key, [...(budgetsByRole.get(key) ?? []), budget]);
  }
  return {
    calls: calls.length,
    rateLimited: calls.filter(({ call }) => call.status === 429).length,
    tooLarge: calls.filter(({ call }) => call.status === 413).length,
    refusedBy,
    reservedPerUsedAnswers: reservedPerUsed(answers),
    reservedPerUsedAll: reservedPerUsed(calls),
    answerCalls: succeeded.filter((call) => call.purpose === "answer").length,
    safetyCalls: succeeded.filter((call) => call.purpose === "safety").length,
    routerCalls: succeeded.filter((call) => call.purpose === "router").length,
    budgetsByRole,
    systemPromptTokens: answers
      .filter((call) => !call.continuation)
      .flatMap(({ messages }) => {
        const system = systemText(messages);
        return system === undefined ? [] : [countPromptTokens([{ role: "system", content: system }])];
      }),
  };
}

/** Calls beyond the first that went on with a message's answer, by tag (successful calls only). */
export function continuationsByTag(calls: readonly UpstreamCall[]): Map<string, number> {
  const continuations = new Map<string, number>();
  for (const { call, tag, continuation } of calls) {
    if (!continuation || tag === undefined || call.status !== 200) continue;
    continuations.set(tag, (continuations.get(tag) ?? 0) + 1);
  }
  return continuations;
}
