import { describe, expect, it } from "vitest";
import { firstMinuteTokens } from "../support/capacity/first-minute-tokens.js";
import type { UpstreamCall } from "../support/capacity/upstream-calls.js";

const startedAt = 1_000_000;

function answerCall(tag: string, atSeconds: number, prompt: number, completion: number, options: { continuation?: boolean; status?: number } = {}): UpstreamCall {
  return {
    call: { at: startedAt + atSeconds * 1000, method: "POST", path: "/openai/v1/chat/completions", model: "m", status: options.status ?? 200, stream: true, body: {}, tokens: { upFront: prompt + 500, prompt, completion, cached: 0 } },
    purpose: "answer",
    tag,
    continuation: options.continuation ?? false,
    role: "chat",
    messages: [],
  };
}

describe("where the first minute's tokens went", () => {
  it("splits the tokens admitted by 60 s into complete answers, continuations and answers not complete by then", () => {
    const calls: UpstreamCall[] = [
      answerCall("a", 1, 100, 200),
      // Cut, continued within the minute, and complete by 60 s.
      answerCall("b", 2, 100, 300),
      answerCall("b", 3, 400, 50, { continuation: true }),
      // Cut, and its continuation only after the minute: not complete by 60 s.
      answerCall("c", 4, 120, 300),
      answerCall("c", 61, 420, 80, { continuation: true }),
      // Refused: Groq admitted nothing.
      answerCall("d", 5, 100, 0, { status: 429 }),
      { ...answerCall("screen", 1, 50, 5), purpose: "safety", tag: undefined },
    ];
    const tokens = firstMinuteTokens({
      calls,
      oraclePrice: new Map([
        ["a", 280],
        ["b", 380],
        ["c", 400],
      ]),
      completeByMinute: new Set(["a", "b"]),
      startedAt,
      capacity: 24_000,
    });
    expect(tokens).toEqual({ capacity: 24_000, admitted: 300 + 400 + 450 + 420, completeAnswersAtOraclePrice: 280 + 380, continuations: 450, unfinishedAnswers: 420 });
  });
});
