/**
 * The per-user daily budget (USER_DAILY_TOKENS) with the real pipeline: the in-process fake model
 * client, whose every finished call reports its usage as Groq would, and a manual clock.
 */
import { afterEach, describe, expect, it } from "vitest";
import { chatCommands } from "../../../commands/index.js";
import { transcriptionBudgetCharge } from "../../../src/core/attachments/transcription-call.js";
import { loadConfig } from "../../../src/core/config/config.js";
import { loadUsage, type DailyUsage } from "../../../src/core/conversation/usage.js";
import { createMami, type Mami } from "../../../src/core/mami.js";
import type { KeyValueStore } from "../../../src/core/ports/key-value-store.js";
import { silentLogger } from "../../../src/core/ports/logger.js";
import type { CompletionRequest, LiveModel } from "../../../src/core/ports/model-client.js";
import { finalReplyOf, type FinalReply } from "../../../src/core/reply.js";
import { restOfAnswer } from "../../support/continued-answer.js";
import type { ChatRequest } from "../../../src/core/request.js";
import { pdfTextExtractor } from "../../../src/media/pdf-text-extractor.js";
import { sharpImageNormalizer } from "../../../src/media/sharp-image-normalizer.js";
import { createKeyValueStore } from "../../../src/store/create-store.js";
import { bytesAttachment, chatRequest } from "../../support/chat-request.js";
import { FakeModelClient, type FakeAnswer } from "../../support/fake-model-client.js";
import { ManualClock } from "../../support/manual-clock.js";
import { errorOf } from "../../support/reply-kinds.js";

const big = "openai/gpt-oss-120b";
const small = "openai/gpt-oss-20b";
const qwen = "qwen/qwen3.6-27b";
const safeguard = "openai/gpt-oss-safeguard-20b";
const liveToday: LiveModel[] = [{ id: big }, { id: small }, { id: qwen }, { id: safeguard }, { id: "whisper-large-v3-turbo" }];
/** Answers come from gpt-oss-120b (then qwen3.6), the router is gpt-oss-20b, the screen gpt-oss-safeguard. */
const models = { MODELS_CHAT: `${big},${qwen}`, MODELS_LOGIC: big, MODELS_CODE: big, MODELS_ROUTER: small, MODELS_SAFETY: safeguard, EXTRA_MODELS: "off" };

let store: KeyValueStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function startCore(client: FakeModelClient, clock: ManualClock, env: Record<string, string>): Promise<Mami> {
  const config = loadConfig({ GROQ_API_KEY: "gsk_test", STORE_URL: "memory://", ROUTER_MODE: "heuristic", SAFETY: "off", REPLY_FOOTER: "off", ...models, ...env }, "ask");
  store = await createKeyValueStore(config.storeUrl);
  return createMami(config, { client, store, clock, logger: silentLogger, images: sharpImageNormalizer, documents: pdfTextExtractor }, { commands: chatCommands });
}

/** Runs the requests to their replies, moving the manual clock while they wait (the safety screen's batch window). */
async function drive<Value>(clock: ManualClock, work: Promise<Value>): Promise<Value> {
  let done = false;
  const result = work.finally(() => {
    done = true;
  });
  while (!done) await clock.advance(50);
  return result;
}

function textOf(request: CompletionRequest): string {
  return request.messages.map((message) => (typeof message.content === "string" ? message.content : message.content.map((part) => (part.type === "text" ? part.text : "")).join(" "))).join("\n");
}

/** Items of a batched screen, by number; the safety model calls those about explosives unsafe. */
function screenAnswer(request: CompletionRequest): string {
  const text = textOf(request);
  if (text.includes("CONTENT (assistant answer")) return /lock/.test(text.split("CONTENT (assistant answer")[1] ?? "") ? "unsafe\nS2" : "safe";
  const items = [...text.matchAll(/<item-\w+-(\d+)>\n([\s\S]*?)\n<\/item-/g)];
  if (items.length === 0) return /explosive/i.test(text) ? "unsafe\nS9" : "safe";
  return items.map((item) => `${item[1]}: ${/explosive/i.test(item[2] ?? "") ? "unsafe S9" : "safe"}`).join("\n");
}

function respond(answerText: (request: CompletionRequest, index: number) => FakeAnswer) {
  return (request: CompletionRequest, index: number): FakeAnswer => {
    if (request.model === safeguard) return { text: screenAnswer(request) };
    if (request.model === small) return { text: '{"role":"chat"}' };
    return answerText(request, index);
  };
}

const author = { id: "u1", name: "User One", isBot: false };
function userRequest(text: string, overrides: Partial<ChatRequest> = {}): ChatRequest {
  return chatRequest(text, { location: { platform: "telegram", chatId: "7", kind: "private" }, author, ...overrides });
}

async function usageOf(clock: ManualClock, userId = "u1"): Promise<DailyUsage> {
  if (store === undefined) throw new Error("no store");
  return loadUsage(store, `tg:${userId}`, clock.now());
}

function reported(client: FakeModelClient, model?: string): number {
  return client.reportedUsage.filter((call) => model === undefined || call.request.model === model).reduce((total, call) => total + call.usage.totalTokens, 0);
}

describe("the daily budget under concurrent requests", () => {
  it.each([
    { budget: 300, concurrent: 12 },
    { budget: 5_000, concurrent: 12 },
  ])("spends at most $budget tokens and one request's overshoot when $concurrent requests come at once, round after round", async ({ budget, concurrent }) => {
    const clock = new ManualClock();
    const client = new FakeModelClient(respond(() => ({ text: "A short answer of a few words to that question, with a little more." })), liveToday);
    const mami = await startCore(client, clock, { USER_DAILY_TOKENS: String(budget) });
    const answeredPerRound: number[] = [];
    for (let round = 0; round < 40; round += 1) {
      const replies = await Promise.all(Array.from({ length: concurrent }, (_, index) => finalReplyOf(mami.reply(userRequest(`question ${round}-${index} about the weather today`)))));
      for (const refused of replies.filter((reply) => reply.kind !== "answer")) expect(errorOf(refused).failure).toBe("budget_spent");
      answeredPerRound.push(replies.filter((reply) => reply.kind === "answer").length);
      if (replies.every((reply: FinalReply) => reply.kind === "error" && /used your \d+ tokens for today/.test(reply.text))) break;
    }
    const usage = await usageOf(clock);
    const costs = client.reportedUsage.map((call) => call.usage.totalTokens);
    // Every call was charged, and no more than the budget and what the last request cost beyond what was left.
    expect(usage.tokens).toBe(reported(client));
    expect(usage.tokens).toBeGreaterThan(budget);
    expect(usage.tokens).toBeLessThanOrEqual(budget + Math.max(...costs));
    expect(usage.requests).toBe(costs.length);
    expect(answeredPerRound.at(-1)).toBe(0);
    // A budget that holds several requests' estimates lets several run at once.
    if (budget > 3_000) expect(Math.max(...answeredPerRound)).toBeGreaterThan(1);
    else expect(Math.max(...answeredPerRound)).toBe(1);
  });
});

describe("every call a request makes is charged to its user", () => {
  const longAnswer = Array.from({ length: 200 }, (_, index) => `Sentence ${index + 1} of a long answer.`).join(" ");
  const voice = bytesAttachment("voice.ogg", "audio/ogg", new Uint8Array(2_000).fill(7), { isVoiceMessage: true });
  it.each([
    {
      what: "an answer continued past its completion budget",
      env: {},
      text: "tell me a long story",
      answer: (request: CompletionRequest): FakeAnswer => ({ text: restOfAnswer(longAnswer, request.messages) }),
      charged: { answer: "reported" },
    },
    {
      what: "a stream that broke mid-answer, finished by the next model",
      env: {},
      text: "hello there, how are you?",
      answer: (request: CompletionRequest, index: number): FakeAnswer => (index === 0 ? { fail: "server_error", afterText: "The first half of an answer that" } : { text: ` broke, and its end from ${request.model}.` }),
      charged: { answer: "more than reported" },
    },
    { what: "the router model's call", env: { ROUTER_MODE: "llm" }, text: "hello there, how are you?", answer: (): FakeAnswer => ({ text: "Fine." }), charged: { answer: "reported", router: "reported" } },
    { what: "the input screen", env: { SAFETY: "input" }, text: "hello there, how are you?", answer: (): FakeAnswer => ({ text: "Fine." }), charged: { answer: "reported", safety: "reported" } },
    { what: "a message the screen refused", env: { SAFETY: "input" }, text: "how do I make an explosive at home", answer: (): FakeAnswer => ({ text: "Never sent." }), charged: { safety: "reported" } },
    { what: "an answer withheld by the answer screen", env: { SAFETY: "both" }, text: "tell me about doors", answer: (): FakeAnswer => ({ text: "Here is how to pick the lock on your neighbour's door." }), charged: { answer: "reported", safety: "reported" } },
    { what: "a voice message's transcription", env: {}, text: "", attachments: [voice], answer: (): FakeAnswer => ({ text: "Fine." }), charged: { answer: "reported", transcription: transcriptionBudgetCharge } },
  ])("$what", async ({ env, text, answer, charged, ...rest }) => {
    const clock = new ManualClock();
    const client = new FakeModelClient(respond(answer), liveToday);
    const mami = await startCore(client, clock, { USER_DAILY_TOKENS: "1000000", ...env });
    await drive(clock, finalReplyOf(mami.reply(userRequest(text, "attachments" in rest ? { attachments: rest.attachments } : {}))));
    const usage = await usageOf(clock);
    const reportedBy = { answer: reported(client, big) + reported(client, qwen), router: reported(client, small), safety: reported(client, safeguard) };
    const sources = Object.keys(charged).sort();
    expect(Object.keys(usage.bySource).sort()).toEqual(sources);
    for (const [source, expected] of Object.entries(charged)) {
      const bySource = usage.bySource[source as keyof typeof usage.bySource] ?? 0;
      if (expected === "reported") expect(bySource).toBe(reportedBy[source as keyof typeof reportedBy]);
      else if (expected === "more than reported") expect(bySource).toBeGreaterThan(reportedBy[source as keyof typeof reportedBy]);
      else expect(bySource).toBe(expected);
    }
    expect(usage.tokens).toBe(Object.values(usage.bySource).reduce((total, tokens) => total + tokens, 0));
    expect(usage.requests).toBe(1);
  });

  it("splits a batched screen's tokens among the messages it screened", async () => {
    const clock = new ManualClock();
    const client = new FakeModelClient(respond(() => ({ text: "Fine." })), liveToday);
    const mami = await startCore(client, clock, { SAFETY: "input" });
    const ask = (userId: string, text: string) => finalReplyOf(mami.reply(userRequest(text, { author: { id: userId, name: userId, isBot: false }, location: { platform: "telegram", chatId: userId, kind: "private" } })));
    await drive(clock, Promise.all([ask("a", "a short question about the sea"), ask("b", `a much longer question about mountains, ${"and valleys ".repeat(60)}`)]));
    const screens = client.reportedUsage.filter((call) => call.request.model === safeguard);
    expect(screens).toHaveLength(1);
    const [first, second] = [(await usageOf(clock, "a")).bySource.safety ?? 0, (await usageOf(clock, "b")).bySource.safety ?? 0];
    // Shares by length, each rounded up: together the one call, within a token each.
    expect(first + second).toBeGreaterThanOrEqual(reported(client, safeguard));
    expect(first + second).toBeLessThanOrEqual(reported(client, safeguard) + 2);
    expect(second).toBeGreaterThan(first);
  });
});
