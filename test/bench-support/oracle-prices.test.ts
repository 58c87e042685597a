import { describe, expect, it } from "vitest";
import { freeTierModels, leastReasoningText, type FakeModelSpec } from "../fakes/fake-groq/index.js";
import { planReasoning } from "../fakes/fake-groq/reasoning.js";
import { composeAnswer } from "../fakes/fake-groq/responses.js";
import { distributionAwareMessages } from "../support/capacity/distribution-ceiling.js";
import { priceOn, type OracleMessage } from "../support/capacity/oracle.js";
import { oracleMessages } from "../support/capacity/scenario-figures.js";
import { buildWorkload, defaultWorkloadShape } from "../support/capacity/workload.js";

const gptOssIds = ["openai/gpt-oss-120b", "openai/gpt-oss-20b"] as const;
const qwenId = "qwen/qwen3.6-27b";
/** A live model without reasoning: the safety model, which can still be named to the oracle. */
const withoutReasoningId = "meta-llama/llama-guard-4-12b";

function spec(id: string): FakeModelSpec {
  const found = freeTierModels.find((model) => model.id === id);
  if (found === undefined) throw new Error(`No fake Groq model ${id}`);
  return found;
}

/** Room for any answer and its reasoning: nothing is cut. */
const bigBudget = 100_000;
/** Mixed kinds, long pasted texts among them (whose reasoning quotes only the text's start). */
const messages = buildWorkload({ ...defaultWorkloadShape, messages: 40 });
const systemPromptAllowance = 60;

/** The reasoning's share of what the fake Groq charges for the message's whole answer at `effort`. */
function reasoningCharged(modelId: string, effort: string | undefined, text: string, answer: string, answerTokens: number): number {
  const body = effort === undefined ? {} : { reasoning_effort: effort };
  return composeAnswer(answer, planReasoning(spec(modelId), body, text), bigBudget).completionTokens - answerTokens;
}

describe("what the oracle charges each message on each model", () => {
  it("covers pasted texts as well as short questions", () => {
    expect(new Set(messages.map((message) => message.kind))).toContain("long_prompt");
    expect(new Set(messages.map((message) => message.kind))).toContain("chat");
  });

  it("adds on gpt-oss the reasoning the fake Groq charges at effort low, and nothing on qwen at effort none or on a model without reasoning", () => {
    const ids = [...gptOssIds, qwenId, withoutReasoningId];
    const priced = oracleMessages(messages, systemPromptAllowance, ids);
    const unpriced = oracleMessages(messages, systemPromptAllowance, []);
    messages.forEach((message, index) => {
      const text = message.text.trim();
      const withReasoning = priced[index] as OracleMessage;
      const withoutReasoning = unpriced[index] as OracleMessage;
      expect(withReasoning.tokens).toBe(withoutReasoning.tokens);
      for (const id of gptOssIds) {
        const charged = reasoningCharged(id, "low", text, message.answer, message.answerTokens);
        // gpt-oss cannot answer without reasoning: a test that compared zeros would prove nothing.
        expect(charged).toBeGreaterThan(0);
        expect(priceOn(withReasoning, id) - priceOn(withoutReasoning, id)).toBe(charged);
      }
      expect(reasoningCharged(qwenId, "none", text, message.answer, message.answerTokens)).toBe(0);
      expect(priceOn(withReasoning, qwenId)).toBe(withoutReasoning.tokens);
      expect(priceOn(withReasoning, withoutReasoningId)).toBe(withoutReasoning.tokens);
    });
  });

  it("pays a model named to it only: the others cost their tokens", () => {
    for (const message of oracleMessages(messages, systemPromptAllowance, [qwenId])) expect(priceOn(message, gptOssIds[0])).toBe(message.tokens);
  });

  it("gives the ceiling that knows only answer lengths by kind the same reasoning, on top of its kept charge", () => {
    const ids = [...gptOssIds, qwenId];
    const priced = oracleMessages(messages, systemPromptAllowance, ids);
    const aware = distributionAwareMessages(messages, systemPromptAllowance, ids).messages;
    const awareWithoutReasoning = distributionAwareMessages(messages, systemPromptAllowance, []).messages;
    messages.forEach((_, index) => {
      const exact = priced[index] as OracleMessage;
      const kept = aware[index] as OracleMessage;
      expect(kept.tokens).toBe(awareWithoutReasoning[index]?.tokens);
      for (const id of ids) expect(priceOn(kept, id) - kept.tokens).toBe(priceOn(exact, id) - exact.tokens);
    });
  });
});

describe("the fake Groq's least reasoning", () => {
  const efforts: Readonly<Record<NonNullable<FakeModelSpec["reasoning"]>, readonly string[]>> = { "gpt-oss": ["low", "medium", "high"], qwen: ["none", "default"] };

  it("is the shortest reasoning any effort the model accepts gives, the default included", () => {
    for (const id of [...gptOssIds, qwenId]) {
      const model = spec(id);
      const family = model.reasoning;
      expect(family).toBeDefined();
      if (family === undefined) continue;
      for (const message of messages) {
        const text = message.text.trim();
        const least = leastReasoningText(model, text);
        const lengths = [undefined, ...efforts[family]].map((effort) => planReasoning(model, effort === undefined ? {} : { reasoning_effort: effort }, text).text.length);
        expect(least.length).toBe(Math.min(...lengths));
      }
    }
  });

  it("is nothing for a model without reasoning, and something for gpt-oss, about the user's text", () => {
    expect(leastReasoningText(spec(withoutReasoningId), "What is 2 + 2?")).toBe("");
    expect(leastReasoningText(spec(qwenId), "What is 2 + 2?")).toBe("");
    expect(leastReasoningText(spec(gptOssIds[0]), "What is 2 + 2?")).toContain("What is 2 + 2?");
  });
});
