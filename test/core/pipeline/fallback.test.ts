import { attemptsOf } from "../../../src/core/reply.js";
import { answerOf, errorOf } from "../../support/reply-kinds.js";
import Groq from "groq-sdk";
import { afterEach, describe, expect, it } from "vitest";
import { CompletionBudgets } from "../../../src/core/generation/completion-budgets.js";
import { finalReplyOf, type ReplyEvent } from "../../../src/core/reply.js";
import { freeTierModels, type FakeModelSpec } from "../../fakes/fake-groq/index.js";
import { chatRequest } from "../../support/chat-request.js";
import { startMamiHarness, type MamiHarness } from "../../support/mami-harness.js";
import { recordingLogger, type LoggedLine } from "../../support/recording-logger.js";

const big = "openai/gpt-oss-120b";
const qwen = "qwen/qwen3.6-27b";
const small = "openai/gpt-oss-20b";
const chatChain = { MODELS_CHAT: `${big},${qwen},${small}` };

function modelsWith(overrides: Record<string, Partial<FakeModelSpec>>): FakeModelSpec[] {
  return freeTierModels.map((model) => ({ ...model, ...overrides[model.id] }));
}

function chatCallsTo(harness: MamiHarness, model: string): number {
  return harness.groq.chatCallsTo(model).length;
}

let harness: MamiHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("fallback across a role's chain", () => {
  it("answers from the first live model of the chain", async () => {
    harness = await startMamiHarness({ env: chatChain });
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("hello there, how are you today?")));
    expect(reply.kind).toBe("answer");
    expect(answerOf(reply).model).toBe(big);
    expect(answerOf(reply).role).toBe("chat");
    expect(reply.text).toContain(`Answer from ${big}`);
  });

  it("skips, without a request, a model whose headers said its daily requests are spent", async () => {
    harness = await startMamiHarness({ env: chatChain, models: modelsWith({ [big]: { requestsPerDay: 2 } }) });
    // Another process of the same organization uses one of the two daily requests.
    const otherProcess = new Groq({ apiKey: "gsk_test_key", baseURL: harness.groq.url, maxRetries: 0 });
    await otherProcess.chat.completions.create({ model: big, messages: [{ role: "user", content: "hi" }], max_completion_tokens: 50 });

    const first = await finalReplyOf(harness.mami.reply(chatRequest("first question, please")));
    expect(answerOf(first).model).toBe(big);
    const callsBefore = chatCallsTo(harness, big);

    const second = await finalReplyOf(harness.mami.reply(chatRequest("second question, please")));
    expect(answerOf(second).model).toBe(qwen);
    expect(chatCallsTo(harness, big)).toBe(callsBefore);
    expect(attemptsOf(second).find((attempt) => attempt.model === big)?.reason).toMatch(/RPD spent/);
  });

  it("falls back within the same request when a model answers 429", async () => {
    harness = await startMamiHarness({ env: chatChain });
    harness.groq.inject(big, { kind: "rate_limit", window: "minute", retryAfterSeconds: 7 });
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("tell me something nice")));
    expect(reply.kind).toBe("answer");
    expect(answerOf(reply).model).toBe(qwen);
    expect(attemptsOf(reply).map((attempt) => [attempt.model, attempt.outcome])).toEqual([
      [big, "rate_limited"],
      [qwen, "answered"],
    ]);
  });

  it("cools a model for seconds after a per-minute 429 and for hours after a per-day one", async () => {
    harness = await startMamiHarness({ env: chatChain });
    harness.groq.inject(big, { kind: "rate_limit", window: "minute", retryAfterSeconds: 7 });
    harness.groq.inject(qwen, { kind: "rate_limit", window: "day", retryAfterSeconds: 3 * 3600 });
    await finalReplyOf(harness.mami.reply(chatRequest("hello, what's new?")));
    const status = await harness.mami.modelStatus();
    const minuteCooled = status.find((row) => row.model === big);
    const dayCooled = status.find((row) => row.model === qwen);
    expect(minuteCooled?.quota?.availableInMs).toBeGreaterThan(4_000);
    expect(minuteCooled?.quota?.availableInMs).toBeLessThanOrEqual(7_000);
    expect(minuteCooled?.note).toMatch(/per-minute/);
    expect(dayCooled?.quota?.availableInMs).toBeGreaterThan(2.9 * 3600_000);
    expect(dayCooled?.note).toMatch(/daily/);

    // While cooling, the next request goes straight to the third model without calling the others.
    const callsBefore = chatCallsTo(harness, big) + chatCallsTo(harness, qwen);
    const next = await finalReplyOf(harness.mami.reply(chatRequest("and another message")));
    expect(answerOf(next).model).toBe(small);
    expect(chatCallsTo(harness, big) + chatCallsTo(harness, qwen)).toBe(callsBefore);
  });

  it("sends a request too large for one model's TPM to a model with more TPM after its 413", async () => {
    // The catalog believes the first model has a large TPM; Groq knows better and answers 413.
    harness = await startMamiHarness({
      env: { MODELS_CHAT: `${big},meta-llama/llama-guard-4-12b` },
      models: modelsWith({ [big]: { tokensPerMinute: 3_000 } }),
    });
    const longText = "Please summarise the following notes. " + "The quarterly meeting covered budgets and plans. ".repeat(250);
    const reply = await finalReplyOf(harness.mami.reply(chatRequest(longText)));
    expect(reply.kind).toBe("answer");
    expect(answerOf(reply).model).toBe("meta-llama/llama-guard-4-12b");
    expect(attemptsOf(reply)[0]).toMatchObject({ model: big, outcome: "request_too_large" });
  });

  it("prunes retired models at start-up and drops a model retired at run time", async () => {
    harness = await startMamiHarness({ env: { MODELS_CHAT: `llama-3.3-70b-versatile,${big},${qwen}` } });
    const pruned = (await harness.mami.modelStatus()).find((row) => row.model === "llama-3.3-70b-versatile");
    expect(pruned?.live).toBe(false);
    const first = await finalReplyOf(harness.mami.reply(chatRequest("hi, who are you?")));
    expect(answerOf(first).model).toBe(big);
    expect(chatCallsTo(harness, "llama-3.3-70b-versatile")).toBe(0);

    harness.groq.setModelStatus(big, "decommissioned");
    const second = await finalReplyOf(harness.mami.reply(chatRequest("hello again, friend")));
    expect(answerOf(second).model).toBe(qwen);
    expect(attemptsOf(second)[0]).toMatchObject({ model: big, outcome: "model_gone" });
    const third = await finalReplyOf(harness.mami.reply(chatRequest("still there, friend?")));
    expect(answerOf(third).model).toBe(qwen);
    expect(chatCallsTo(harness, big)).toBe(2);
    expect(harness.mami.pinnableModels()).not.toContain(big);
  });

  it("learns at run time when the model list cannot be fetched at start-up", async () => {
    const { startFakeGroq } = await import("../../fakes/fake-groq/index.js");
    const models = modelsWith({ [qwen]: { status: "decommissioned" } });
    const groq = await startFakeGroq({ models, apiKey: "gsk_test_key", listModelsFails: true });
    harness = await startMamiHarness({ groq, env: { MODELS_CHAT: `${qwen},${big}` } });
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("good morning to you")));
    expect(answerOf(reply).model).toBe(big);
    expect(attemptsOf(reply)[0]).toMatchObject({ model: qwen, outcome: "model_gone" });
    await groq.close();
  });

  it("knows the design card's retired models without asking Groq, and trusts Groq's list over that", async () => {
    const { startFakeGroq } = await import("../../fakes/fake-groq/index.js");
    const groq = await startFakeGroq({ models: modelsWith({ "llama-3.3-70b-versatile": { status: "live" } }), apiKey: "gsk_test_key" });
    harness = await startMamiHarness({ groq, env: { MODELS_CHAT: `llama-3.3-70b-versatile,${big}` } });
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("good morning to you")));
    expect(answerOf(reply).model).toBe("llama-3.3-70b-versatile");
    await groq.close();
  });

  it("waits for the earliest model when every model is out, then answers", async () => {
    harness = await startMamiHarness({ env: { ...chatChain, MAX_QUEUE_WAIT_SECONDS: "5" } });
    for (const model of [big, qwen, small]) harness.groq.inject(model, { kind: "rate_limit", window: "minute", retryAfterSeconds: model === qwen ? 1 : 30 });
    const events: ReplyEvent[] = [];
    const startedAt = Date.now();
    for await (const event of harness.mami.reply(chatRequest("hi, anyone free?"))) events.push(event);
    const reply = events.at(-1);
    expect(reply?.type === "final" && reply.reply.kind).toBe("answer");
    expect(reply?.type === "final" && answerOf(reply.reply).model).toBe(qwen);
    expect(events.some((event) => event.type === "queued")).toBe(true);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900);
  });

  it("fails with a clear error naming the retry time when the wait would be too long, logged as busy rather than as a fault", async () => {
    const lines: LoggedLine[] = [];
    harness = await startMamiHarness({ env: { ...chatChain, MAX_QUEUE_WAIT_SECONDS: "1" }, logger: recordingLogger(lines) });
    for (const model of [big, qwen, small]) harness.groq.inject(model, { kind: "rate_limit", window: "minute", retryAfterSeconds: 40 });
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("hi, anyone free?")));
    expect(reply.kind).toBe("error");
    expect(errorOf(reply).failure).toBe("no_model_available");
    expect(reply.text).toMatch(/try again in about (39|40) seconds/);
    expect(lines.filter((line) => line.level === "error")).toEqual([]);
    expect(lines.find((line) => line.message.startsWith("every model busy"))?.level).toBe("info");
  });
});

describe("streams that break", () => {
  it("falls back silently when a stream fails before its first token", async () => {
    harness = await startMamiHarness({ env: chatChain });
    harness.groq.inject(big, { kind: "drop_stream", afterChunks: 0 });
    const deltas: string[] = [];
    let final: ReplyEvent | undefined;
    for await (const event of harness.mami.reply(chatRequest("tell me a joke please"))) {
      if (event.type === "delta") deltas.push(event.text);
      if (event.type === "final") final = event;
    }
    expect(final?.type === "final" && answerOf(final.reply).model).toBe(qwen);
    expect(deltas.join("")).not.toContain(big);
    expect(deltas.join("")).toBe(final?.type === "final" ? final.reply.text : "");
  });

  it("continues on the next model from what was said when a stream breaks after text", async () => {
    harness = await startMamiHarness({ env: chatChain });
    harness.groq.inject(big, { kind: "drop_stream", afterChunks: 2 });
    const deltas: string[] = [];
    let final: ReplyEvent | undefined;
    for await (const event of harness.mami.reply(chatRequest("tell me a story please"))) {
      if (event.type === "delta") deltas.push(event.text);
      if (event.type === "final") final = event;
    }
    const reply = answerOf(final?.type === "final" ? final.reply : (undefined as never));
    expect(reply.model).toBe(qwen);
    expect(attemptsOf(reply)[0]).toMatchObject({ model: big, outcome: "stream_broken" });
    // The second model was shown the partial answer and asked to continue it.
    const continuation = harness.groq.chatCallsTo(qwen)[0]?.body as { messages: { role: string; content: string }[] };
    expect(continuation.messages.at(-2)?.role).toBe("assistant");
    expect(continuation.messages.at(-1)?.content).toMatch(/Continue/);
    expect(reply?.text.startsWith(deltas[0] ?? "∅")).toBe(true);
    expect(deltas.join("")).toBe(reply?.text);
  });

  it("ends a broken answer with a note when no model can continue it", async () => {
    harness = await startMamiHarness({ env: { MODELS_CHAT: big, MODELS_CODE: big, MODELS_LOGIC: big, MODELS_VISION: qwen, MODELS_LONG_CONTEXT: big } });
    harness.groq.inject(big, { kind: "drop_stream", afterChunks: 2 });
    harness.groq.setModelStatus(qwen, "decommissioned");
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("tell me a story please")));
    expect(reply.kind).toBe("answer");
    expect(reply.text).toMatch(/cut off/);
  });
});

describe("reasoning models", () => {
  it("asks each family to hide its reasoning and strips <think> blocks split across chunks", async () => {
    harness = await startMamiHarness({ env: { MODELS_LOGIC: qwen } });
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("What is 2x+3=7 solve for x? Show the steps.")));
    expect(answerOf(reply).role).toBe("logic");
    expect(answerOf(reply).model).toBe(qwen);
    const body = harness.groq.chatCallsTo(qwen)[0]?.body as Record<string, unknown>;
    expect(body.reasoning_format).toBe("hidden");
    expect(reply.text).not.toMatch(/think>/);
  });

  it("strips a raw <think> block that still arrives", async () => {
    harness = await startMamiHarness({ env: { MODELS_CHAT: qwen } });
    harness.groq.setResponder(() => "<think>I should greet them warmly and keep it short.</think>\n\nHello! Nice to meet you.");
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("hello there, nice to meet you")));
    expect(reply.text).toBe("Hello! Nice to meet you.");
  });

  it("moves on when a model spends its whole budget thinking and answers nothing", async () => {
    harness = await startMamiHarness({ env: chatChain });
    harness.groq.setResponder((call) => (call.model === big ? "<think>Let me think about this at length…" : `Answer from ${call.model}`));
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("hello there, nice to meet you")));
    expect(answerOf(reply).model).toBe(qwen);
    expect(attemptsOf(reply)[0]).toMatchObject({ model: big, outcome: "empty_answer" });
    expect(reply.text).toBe(`Answer from ${qwen}`);
  });

  it("sends gpt-oss models include_reasoning false with a valid effort", async () => {
    harness = await startMamiHarness({ env: chatChain });
    await finalReplyOf(harness.mami.reply(chatRequest("hello there, nice to meet you")));
    const body = harness.groq.chatCallsTo(big)[0]?.body as Record<string, unknown>;
    expect(body.include_reasoning).toBe(false);
    expect(["low", "medium", "high"]).toContain(body.reasoning_effort);
    // Before any answer has taught it more, the chat role's starting budget.
    expect(body.max_completion_tokens).toBe(new CompletionBudgets().budgetFor("chat", big, "unknown"));
  });
});
