/**
 * The capacity behaviours of the core, each with the real pipeline, selector and queue: the
 * in-process fake model client (no HTTP) and a manual clock, so minutes of quota pass at once.
 * Wire-level behaviour (headers, 429 bodies, the SDK) is tested against the fake Groq elsewhere.
 */
import { afterEach, describe, expect, it } from "vitest";
import { chatCommands } from "../../../commands/index.js";
import { loadConfig } from "../../../src/core/config/config.js";
import { createMami, type Mami } from "../../../src/core/mami.js";
import { silentLogger } from "../../../src/core/ports/logger.js";
import type { CompletionRequest, LiveModel } from "../../../src/core/ports/model-client.js";
import { attemptsOf, finalReplyOf, type FinalReply, type ReplyEvent } from "../../../src/core/reply.js";
import type { ChatRequest } from "../../../src/core/request.js";
import type { KeyValueStore } from "../../../src/core/ports/key-value-store.js";
import { pdfTextExtractor } from "../../../src/media/pdf-text-extractor.js";
import { sharpImageNormalizer } from "../../../src/media/sharp-image-normalizer.js";
import { createKeyValueStore } from "../../../src/store/create-store.js";
import { chatRequest } from "../../support/chat-request.js";
import { FakeModelClient, type FakeAnswer } from "../../support/fake-model-client.js";
import { RecordingSurface } from "../../support/recording-surface.js";
import { ManualClock } from "../../support/manual-clock.js";
import { answerOf } from "../../support/reply-kinds.js";
import { systemPrompt } from "../../../src/core/generation/conversation-prompt.js";
import { estimateMargin, estimateMessagesTokens } from "../../../src/core/models/token-estimate.js";
import { leftOutMarker, shownEndCharacters } from "../../../src/core/generation/answer-so-far.js";
import { restOfAnswer } from "../../support/continued-answer.js";

const big = "openai/gpt-oss-120b";
const small = "openai/gpt-oss-20b";
const qwen = "qwen/qwen3.6-27b";
/** Every answer role tied to gpt-oss-120b and no other live model used: one model's quota. */
const onlyBig = { MODELS_CHAT: big, MODELS_LOGIC: big, MODELS_CODE: big, MODELS_VISION: big, MODELS_LONG_CONTEXT: big, EXTRA_MODELS: "off" };
const liveToday: LiveModel[] = [{ id: big }, { id: small }, { id: qwen }, { id: "openai/gpt-oss-safeguard-20b" }];

let store: KeyValueStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function startCore(client: FakeModelClient, clock: ManualClock, env: Record<string, string> = {}): Promise<Mami> {
  const config = loadConfig({ GROQ_API_KEY: "gsk_test", STORE_URL: "memory://", ROUTER_MODE: "heuristic", SAFETY: "off", REPLY_FOOTER: "off", HISTORY_MAX_TURNS: "0", ...env }, "ask");
  store = await createKeyValueStore(config.storeUrl);
  return createMami(config, { client, store, clock, logger: silentLogger, images: sharpImageNormalizer, documents: pdfTextExtractor }, { commands: chatCommands });
}

/** What the core estimates a chat message's prompt (its system prompt and `text`) costs, before its margin. */
function chatPromptTokens(text: string): number {
  return estimateMessagesTokens([{ role: "system", content: systemPrompt("chat", "cli") }, { role: "user", content: text }]);
}

/**
 * An answer of `count` tokens (four characters each) of numbered words: a continuation is shown
 * only a long answer's end, which must occur once in it for the fake to go on from there.
 */
function tokens(count: number): string {
  return Array.from({ length: count }, (_, index) => `w${index}`).join(" ").slice(0, count * 4);
}

function lastUserText(request: CompletionRequest): string {
  const last = request.messages.at(-1);
  return typeof last?.content === "string" ? last.content : "";
}

describe("answers cut at their completion budget", () => {
  it("are continued at once and arrive complete and in order, as one answer", async () => {
    const clock = new ManualClock();
    const answer = Array.from({ length: 120 }, (_, index) => `Sentence ${index + 1} of the long answer.`).join(" ");
    // Each call answers from where the answer shown to it left off, like a model asked to continue.
    const client = new FakeModelClient((request): FakeAnswer => ({ text: restOfAnswer(answer, request.messages) }), liveToday);
    const mami = await startCore(client, clock, { MODELS_CHAT: big });
    const deltas: string[] = [];
    let final: FinalReply | undefined;
    for await (const event of mami.reply(chatRequest("tell me a long story"))) {
      if (event.type === "delta") deltas.push(event.text);
      if (event.type === "final") final = event.reply;
    }
    const reply = answerOf(final!);
    expect(reply.text).toBe(answer);
    expect(deltas.join("")).toBe(answer);
    expect(reply.continuations).toBeGreaterThanOrEqual(1);
    expect(client.calls.length).toBe(reply.continuations + 1);
    // Every continuation was shown the end of what was said so far, not all of it again, and was
    // asked to go on without repeating it.
    for (const call of client.calls.slice(1)) {
      const shown = call.messages.at(-2)?.content;
      expect(typeof shown === "string" && shown.startsWith(`${leftOutMarker}\n`)).toBe(true);
      expect(typeof shown === "string" && answer.includes(shown.slice(leftOutMarker.length + 1))).toBe(true);
      expect(String(shown).length).toBeLessThanOrEqual(leftOutMarker.length + 1 + shownEndCharacters);
      expect(lastUserText(call)).toMatch(/only its end\. Continue it exactly where it stopped/);
    }
    expect(attemptsOf(reply).map((attempt) => attempt.outcome)).toEqual([...Array.from({ length: reply.continuations }, () => "budget_reached"), "answered"]);
  });

  it("ask for more with each continuation, and say so when an answer outruns them all", async () => {
    const clock = new ManualClock();
    const continuing = (request: CompletionRequest, answer: string): FakeAnswer => ({ text: restOfAnswer(answer, request.messages) });
    // About 3,000 tokens: six calls at the first budget, three when each continuation asks for more.
    const longAnswer = Array.from({ length: 220 }, (_, index) => `Sentence ${index + 1} is one of many that make a long answer.`).join(" ");
    const client = new FakeModelClient((request) => continuing(request, longAnswer), liveToday);
    const mami = await startCore(client, clock, { MODELS_CHAT: big });
    const reply = answerOf(await finalReplyOf(mami.reply(chatRequest("tell me everything at length"))));
    expect(reply.text).toBe(longAnswer);
    const budgets = client.calls.map((call) => call.maxCompletionTokens);
    expect(budgets.length).toBe(3);
    for (let index = 1; index < budgets.length; index += 1) expect(budgets[index]).toBe(2 * budgets[index - 1]!);

    // Far longer than every continuation allows: the user is told it goes on, not left mid-sentence.
    // (A paid tier's minute, so that quota is not what stops it.)
    const endless = Array.from({ length: 4_000 }, (_, index) => `Sentence ${index + 1} of an answer that does not end. `).join("");
    const paidTier = { tokensPerMinuteLimit: 250_000, tokensPerMinuteRemaining: 250_000, tokensPerMinuteResetMs: 60_000 };
    client.answerWith((request) => ({ ...continuing(request, endless), rateLimits: paidTier }));
    const cut = answerOf(await finalReplyOf(mami.reply(chatRequest("and now everything else"))));
    expect(endless.startsWith(cut.text.slice(0, cut.text.indexOf("\n\n_(")))).toBe(true);
    expect(cut.text).toMatch(/longer than I send at once\. Ask me to continue/);
    expect(attemptsOf(cut).map((attempt) => attempt.outcome)).toEqual(["budget_reached", "budget_reached", "budget_reached", "budget_reached", "answered"]);
  });
});

describe("an answer cut at its budget in a full minute", () => {
  it("says under what was shown that the rest follows, and when, while it waits for quota to go on", async () => {
    const clock = new ManualClock();
    const story = tokens(700);
    const client = new FakeModelClient((request) => {
      const question = request.messages.find((message) => message.role === "user");
      return { text: typeof question?.content === "string" && question.content.startsWith("filler") ? tokens(20) : restOfAnswer(story, request.messages) };
    }, liveToday);
    const mami = await startCore(client, clock, { ...onlyBig, MAX_QUEUE_WAIT_SECONDS: "600" });
    const roomLeft = async (): Promise<number> => (await mami.modelStatus()).find((row) => row.model === big)?.quota?.tokensPerMinuteRemaining ?? 0;
    // A pasted text that leaves room for the story's first call, not for its continuation beside it.
    let filler = "filler-paste";
    while (chatPromptTokens(filler) < (await roomLeft()) - 1_300 - 512) filler += " lorem ipsum dolor sit amet";
    await finalReplyOf(mami.reply(chatRequest(filler)));
    expect(await roomLeft()).toBeLessThan(1_600);
    await clock.advance(1_000);
    const events: ReplyEvent[] = [];
    const replying = (async () => {
      for await (const event of mami.reply(chatRequest("tell me a long story"))) events.push(event);
    })();
    await clock.advance(1_000);
    // Its first call was cut, and the rest waits for the paste to leave the minute, about a minute on.
    const shownFirst = events.filter((event) => event.type === "delta").length;
    expect(shownFirst).toBeGreaterThan(0);
    const waiting = events.find((event) => event.type === "queued");
    expect(waiting?.type === "queued" ? waiting.notice : "").toMatch(/the rest of this answer follows in about (5\d|60) seconds/);
    expect(events.indexOf(waiting!)).toBeGreaterThan(0);
    await clock.advance(61_000);
    await replying;
    const final = events.at(-1);
    expect(final?.type === "final" ? answerOf(final.reply).text : "").toBe(story);
  });
});

describe("an answer late in a full minute", () => {
  it("asks for enough to finish in one call when a continuation could not start before its deadline", async () => {
    const clock = new ManualClock();
    const answers = new Map<string, string>();
    // Each message's answer, keyed by its question; a continuation gets what is left of it.
    const client = new FakeModelClient((request) => {
      const question = request.messages.find((message) => message.role === "user");
      const answer = answers.get(typeof question?.content === "string" ? question.content.slice(0, 12) : "") ?? tokens(100);
      return { text: restOfAnswer(answer, request.messages) };
    }, liveToday);
    const mami = await startCore(client, clock, { ...onlyBig, MAX_QUEUE_WAIT_SECONDS: "20" });
    const ask = async (text: string, answer: string): Promise<FinalReply> => {
      answers.set(text.slice(0, 12), answer);
      return finalReplyOf(mami.reply(chatRequest(text, { location: { platform: "cli", chatId: `chat-${text.slice(0, 12)}`, kind: "private" }, receivedAt: clock.now() })));
    };
    // What chat answers use: 100 tokens, now and then 300.
    for (let index = 0; index < 20; index += 1) await ask(`learn ${String(index).padStart(6, "0")}`, tokens(index === 7 ? 300 : 100));
    await clock.advance(61_000);
    const long = tokens(300);

    // A quiet minute: the ordinary budget, and the long answer continued.
    let calls = client.calls.length;
    expect(answerOf(await ask("quiet minute", long)).text).toBe(long);
    const ordinary = client.calls[calls]?.maxCompletionTokens ?? 0;
    expect(ordinary).toBeLessThan(300);
    expect(client.calls.length - calls).toBe(2);
    await clock.advance(61_000);

    // A full minute that frees only after the deadline: room for the call, not for a continuation beside it.
    const roomLeft = async (): Promise<number> => (await mami.modelStatus()).find((row) => row.model === big)?.quota?.tokensPerMinuteRemaining ?? 0;
    const room = await roomLeft();
    // A pasted text that leaves about 600 tokens once its call settles (its answer asks for the
    // starting 512: no answer to a prompt that long was seen yet).
    let filler = "filler-paste";
    while (chatPromptTokens(filler) < room - 600 - 512) filler += " lorem ipsum dolor sit amet";
    await ask(filler, tokens(100));
    const left = await roomLeft();
    expect(left).toBeGreaterThan(450);
    expect(left).toBeLessThan(750);
    await clock.advance(1_000);
    calls = client.calls.length;
    // Past its deadline: a continuation still waiting would have given up, and the answer ended cut.
    const reply = ask("a full minute", long);
    await clock.advance(25_000);
    expect(answerOf(await reply).text).toBe(long);
    expect(client.calls.length - calls).toBe(1);
    expect(client.calls[calls]?.maxCompletionTokens).toBeGreaterThanOrEqual(300);
  });
});

describe("every live model adds its quota", () => {
  it("answers from a model Groq lists and the catalog does not know, once the chain is spent", async () => {
    const clock = new ManualClock();
    const newcomer = "qwen/qwen3.8-27b";
    const client = new FakeModelClient((request) => (request.model === big ? { fail: "rate_limited", retryAfterMs: 30_000, window: "minute" } : { text: `Answer from ${request.model}.` }), [
      ...liveToday,
      { id: newcomer, contextWindow: 131_072 },
    ]);
    const mami = await startCore(client, clock, { MODELS_CHAT: big, MODELS_LOGIC: big, MODELS_CODE: big, MODELS_VISION: big, MODELS_LONG_CONTEXT: big, MODELS_ROUTER: small });
    const reply = answerOf(await finalReplyOf(mami.reply(chatRequest("hello there"))));
    // The router chain's gpt-oss-20b and qwen3.6 are live too: whichever comes first after the chain answers.
    expect(reply.model).not.toBe(big);
    expect(mami.pinnableModels()).toContain(newcomer);
    const status = await mami.modelStatus();
    expect(status.find((row) => row.model === newcomer)?.note).toMatch(/in no chain/);

    // With the other live models spent too, the newcomer answers.
    client.answerWith((request) => (request.model === newcomer ? { text: `Answer from ${request.model}.` } : { fail: "rate_limited", retryAfterMs: 30_000, window: "minute" }));
    const fromNewcomer = answerOf(await finalReplyOf(mami.reply(chatRequest("and now?"))));
    expect(fromNewcomer.model).toBe(newcomer);
  });
});

/** Answers that take their whole completion budget and end there: a minute fills as fast as it can. */
function fullBudgetAnswers(request: CompletionRequest): FakeAnswer {
  return { text: "x".repeat(request.maxCompletionTokens * 4) };
}

/**
 * Sends messages one after another until gpt-oss-120b's minute has less room than a message
 * takes with half its budget; `between` runs after each (a clock moved on spreads them out).
 */
async function fillTheMinute(mami: Mami, arrivedAt: number, between: () => Promise<void> = async () => undefined): Promise<void> {
  for (let index = 0; index < 40; index += 1) {
    const left = (await mami.modelStatus()).find((row) => row.model === big)?.quota?.tokensPerMinuteRemaining ?? 0;
    if (left < 400) return;
    await finalReplyOf(mami.reply(chatRequest(`filler ${index}`, { location: { platform: "cli", chatId: `filler-${index}`, kind: "private" }, receivedAt: arrivedAt })));
    await between();
  }
  throw new Error("the minute never filled");
}

/** A message of `chat`'s one user (named as the chat), arrived at `receivedAt`. */
function fromChat(chat: string, text: string, receivedAt: number): ChatRequest {
  return chatRequest(text, { location: { platform: "cli", chatId: chat, kind: "private" }, author: { id: chat, name: chat, isBot: false }, receivedAt });
}

describe("the quota queue", () => {
  it("answers waiting messages in the order they arrived, whatever their chat", async () => {
    const clock = new ManualClock();
    const client = new FakeModelClient(fullBudgetAnswers, liveToday);
    // One model with room for one request a minute: everyone else waits.
    const mami = await startCore(client, clock, { ...onlyBig, MAX_QUEUE_WAIT_SECONDS: "600" });
    const answeredOrder: string[] = [];
    const queuedNotices: string[] = [];
    const ask = async (chat: string, text: string, arrivedAt: number): Promise<void> => {
      for await (const event of mami.reply(chatRequest(text, { location: { platform: "cli", chatId: chat, kind: "private" }, receivedAt: arrivedAt })) as AsyncIterable<ReplyEvent>) {
        if (event.type === "queued") queuedNotices.push(event.notice);
        // The order in which models took them: their first text.
        if (event.type === "delta" && !answeredOrder.includes(text)) answeredOrder.push(text);
      }
    };
    const start = clock.now();
    await fillTheMinute(mami, start);
    // Three chats whose messages arrived a second apart reach the core in the other order (each
    // waited behind earlier messages of its own chat, as the adapters serialize a chat).
    await clock.advance(5_000);
    const third = ask("chat-c", "third to arrive", start + 3_000);
    const first = ask("chat-a", "first to arrive", start + 1_000);
    const second = ask("chat-b", "second to arrive", start + 2_000);
    await clock.advance(0);
    expect(queuedNotices).toHaveLength(3);
    for (const notice of queuedNotices) expect(notice).toMatch(/Busy right now: your message is in the queue, about \d+ (seconds|minutes)/);
    await clock.advance(61_000);
    await clock.advance(61_000);
    await Promise.all([first, second, third]);
    expect(answeredOrder).toEqual(["first to arrive", "second to arrive", "third to arrive"]);
  });

  it("lets a later message through in the room an earlier waiting one leaves, without delaying it", async () => {
    const clock = new ManualClock();
    // Answers of a few words: each call keeps its prompt and its whole budget for the minute.
    const client = new FakeModelClient(() => ({ text: "Done." }), liveToday);
    const mami = await startCore(client, clock, { ...onlyBig, MAX_QUEUE_WAIT_SECONDS: "600" });
    const answeredAt = new Map<string, number>();
    const ask = async (chat: string, text: string): Promise<void> => {
      const reply = answerOf(await finalReplyOf(mami.reply(chatRequest(text, { location: { platform: "cli", chatId: chat, kind: "private" }, receivedAt: clock.now() }))));
      answeredAt.set(chat, clock.now());
      expect(reply.text).toContain("Done.");
    };
    const roomLeft = async (): Promise<number> => (await mami.modelStatus()).find((row) => row.model === big)?.quota?.tokensPerMinuteRemaining ?? 0;
    const start = clock.now();
    // A long paste first: when it leaves the minute, it frees far more than a waiting message needs.
    await ask("paste", `Summarise this: ${"lorem ipsum ".repeat(900)}`);
    const long = `Please read this carefully: ${"dolor sit amet ".repeat(400)}`;
    // Short messages until the minute has less room than the long message needs.
    for (let index = 0; index < 30 && (await roomLeft()) >= 1_300; index += 1) await ask(`filler-${index}`, `filler ${index}`);
    const before = await roomLeft();
    expect(before).toBeGreaterThan(700);
    await clock.advance(1_000);
    const waiting = ask("long", long);
    await clock.advance(0);
    expect(answeredAt.has("long")).toBe(false);
    // Arrived after it, and fits in what the minute has now and will have beside it when it starts.
    await clock.advance(1_000);
    await ask("short", "a short question");
    expect(answeredAt.get("short")).toBeLessThan(start + 60_000);
    expect(answeredAt.has("long")).toBe(false);
    // The long one starts when the paste leaves the minute, as it would have without the short one.
    await clock.advance(start + 61_000 - clock.now());
    await waiting;
    expect(answeredAt.get("long")).toBeGreaterThan(start + 60_000);
    expect(answeredAt.get("long")).toBeLessThanOrEqual(start + 61_000);
  });

  it("keeps a message waiting for its whole budget when the room left would cut most answers of its kind", async () => {
    const clock = new ManualClock();
    const client = new FakeModelClient(fullBudgetAnswers, liveToday);
    const mami = await startCore(client, clock, { ...onlyBig, MAX_QUEUE_WAIT_SECONDS: "600" });
    const roomLeft = async (): Promise<number> => (await mami.modelStatus()).find((row) => row.model === big)?.quota?.tokensPerMinuteRemaining ?? 0;
    const start = clock.now();
    // Fill the minute until it holds less than two more messages like the last.
    for (let index = 0, costOfOne = 0; index < 40; index += 1) {
      const before = await roomLeft();
      if (before < 2 * costOfOne) break;
      await finalReplyOf(mami.reply(chatRequest(`filler ${index}`, { location: { platform: "cli", chatId: `filler-${index}`, kind: "private" }, receivedAt: start })));
      costOfOne = before - (await roomLeft());
    }
    const left = await roomLeft();
    const budget = client.calls.at(-1)?.maxCompletionTokens ?? 0;
    // A message whose prompt leaves the minute room for a bit over half its budget, not all of it.
    const promptCostFor = (text: string): number => Math.ceil(chatPromptTokens(text) * estimateMargin);
    let text = "the last question";
    while (left - promptCostFor(text) > budget * 0.75) text += " and more";
    expect(left - promptCostFor(text)).toBeGreaterThan(budget / 2);
    expect(left - promptCostFor(text)).toBeLessThan(budget);
    const calls = client.calls.length;
    const events: ReplyEvent[] = [];
    const asked = (async () => {
      for await (const event of mami.reply(chatRequest(text, { location: { platform: "cli", chatId: "waiting", kind: "private" }, receivedAt: clock.now() }))) events.push(event);
    })();
    await clock.advance(0);
    expect(events.some((event) => event.type === "queued")).toBe(true);
    expect(client.calls).toHaveLength(calls);
    await clock.advance(start + 61_000 - clock.now());
    await asked;
    expect(events.at(-1)).toMatchObject({ type: "final", reply: { kind: "answer" } });
    // One call, with the whole budget: not a smaller one cut short and continued.
    expect(client.calls.slice(calls)).toHaveLength(1);
    expect(client.calls.at(-1)?.maxCompletionTokens).toBe(budget);
  });

  it("counts, in the wait it tells a message, an earlier one still waiting behind its own chat's previous message", async () => {
    /** The wait told to a message from another chat, with or without a second message of the first chat waiting its turn. */
    const waitToldWith = async (secondOfFirstChat: boolean): Promise<number | undefined> => {
      const clock = new ManualClock();
      const client = new FakeModelClient(fullBudgetAnswers, liveToday);
      const mami = await startCore(client, clock, { ...onlyBig, MAX_QUEUE_WAIT_SECONDS: "600" });
      // Fillers a second apart, so that the minute frees room for one waiting message at a time.
      await fillTheMinute(mami, clock.now(), () => clock.advance(1_000));
      // The first chat's message waits for the minute; its next waits in the core's gate behind it.
      const answered = [mami.receive(fromChat("first-chat", "a question", clock.now()), new RecordingSurface())];
      await clock.advance(500);
      if (secondOfFirstChat) answered.push(mami.receive(fromChat("first-chat", "and a follow-up", clock.now()), new RecordingSurface()));
      await clock.advance(500);
      let toldMs: number | undefined;
      const later = (async () => {
        for await (const event of mami.reply(fromChat("other-chat", "a later question", clock.now()))) if (event.type === "queued") toldMs ??= event.waitMs;
      })();
      await clock.advance(0);
      await clock.advance(5 * 60_000);
      await Promise.all([...answered, later]);
      return toldMs;
    };
    const alone = await waitToldWith(false);
    const behindFollowUp = await waitToldWith(true);
    expect(alone).toBeGreaterThan(30_000);
    // The follow-up arrived first and will take the room that frees next: the later message is
    // told it waits for the room after that, not for what the follow-up will take.
    expect(behindFollowUp).toBeGreaterThanOrEqual(alone! + 900);
  });

  it("tells a message waiting behind its own chat's earlier one at once about how long it waits, and answers both in order", async () => {
    const clock = new ManualClock();
    const client = new FakeModelClient(fullBudgetAnswers, liveToday);
    const mami = await startCore(client, clock, { ...onlyBig, MAX_QUEUE_WAIT_SECONDS: "600" });
    // Fillers a second apart, so that the minute frees room for one waiting message at a time.
    await fillTheMinute(mami, clock.now(), () => clock.advance(1_000));
    const calls = client.calls.length;
    const firstSurface = new RecordingSurface();
    const followUpSurface = new RecordingSurface();
    const first = mami.receive(fromChat("a-chat", "a question", clock.now()), firstSurface);
    await clock.advance(500);
    const followUp = mami.receive(fromChat("a-chat", "and a follow-up", clock.now()), followUpSurface);
    await clock.advance(0);
    // Both told at once, while neither has a model yet: the follow-up need not wait in silence
    // for its turn behind the first.
    expect(client.calls).toHaveLength(calls);
    expect(firstSurface.shownText).toMatch(/in the queue, about \d+ (seconds|minutes?)/);
    expect(followUpSurface.shownText).toMatch(/in the queue, about \d+ (seconds|minutes?)/);
    await clock.advance(5 * 60_000);
    const [firstReply, followUpReply] = await Promise.all([first, followUp]);
    expect(firstReply.kind).toBe("answer");
    expect(followUpReply.kind).toBe("answer");
    // The notice became the answer, and the chat's messages were answered in order.
    expect(followUpSurface.shownText).not.toMatch(/in the queue/);
    expect(client.calls.slice(calls).map(lastUserText)).toEqual(["a question", "and a follow-up"]);
  });

  it("tells a message waiting behind its own chat's earlier one when to retry once its turn comes, if its wait would pass the limit", async () => {
    const clock = new ManualClock();
    const client = new FakeModelClient(fullBudgetAnswers, liveToday);
    // A reply within 90 s: a message may wait 80 s for a model.
    const mami = await startCore(client, clock, { ...onlyBig, MAX_QUEUE_WAIT_SECONDS: "90" });
    await fillTheMinute(mami, clock.now());
    // Pastes that take most of a minute each: the first gets the minute when the fillers leave
    // it, about 60 s on, and the second only the minute after, past its 80 s.
    const paste = (ref: string): ChatRequest => fromChat("a-chat", `Summarise this (${ref}): ${"lorem ipsum dolor ".repeat(1_000)}`, clock.now());
    const calls = client.calls.length;
    const secondSurface = new RecordingSurface();
    const first = mami.receive(paste("first"), new RecordingSurface());
    await clock.advance(500);
    const second = mami.receive(paste("second"), secondSurface);
    await clock.advance(0);
    // Queued, and about how long, while the first still waits for its model.
    expect(client.calls).toHaveLength(calls);
    expect(secondSurface.shownText).toMatch(/in the queue, about \d+ (seconds|minutes?)/);
    await clock.advance(70_000);
    expect((await first).kind).toBe("answer");
    // Its turn came with the first answered: its own wait, for the minute after, passes its limit.
    const secondReply = await second;
    expect(secondReply).toMatchObject({ kind: "error", failure: "no_model_available" });
    expect(secondReply.text).toMatch(/try again in about (\d+ seconds|\d+ minutes?)/);
    expect(secondSurface.shownText).not.toMatch(/in the queue/);
    expect(client.calls).toHaveLength(calls + 1);
  });

  it("tells a message at once when to retry if its wait would pass the limit", async () => {
    const clock = new ManualClock();
    const client = new FakeModelClient(fullBudgetAnswers, liveToday);
    const mami = await startCore(client, clock, { ...onlyBig, MAX_QUEUE_WAIT_SECONDS: "20" });
    await fillTheMinute(mami, clock.now());
    const events: ReplyEvent[] = [];
    for await (const event of mami.reply(chatRequest("one more"))) events.push(event);
    expect(events.some((event) => event.type === "queued")).toBe(false);
    const final = events.at(-1);
    expect(final?.type === "final" && final.reply).toMatchObject({ kind: "error", failure: "no_model_available" });
    expect(final?.type === "final" ? final.reply.text : "").toMatch(/try again in about (\d+ seconds|1 minutes)/);
  });
});

describe("the safety screen under a burst", () => {
  it("screens 60 messages in a minute with far fewer safety calls, and answers none unscreened", async () => {
    const clock = new ManualClock();
    const screened = new Set<string>();
    const client = new FakeModelClient((request): FakeAnswer => {
      if (request.model.includes("safeguard")) {
        const text = lastUserText(request);
        const items = [...text.matchAll(/<item-\w+-(\d+)>\n([\s\S]*?)\n<\/item-/g)];
        if (items.length === 0) {
          screened.add(text.replace(/^CONTENT \(user message\):\n/, ""));
          return { text: "safe" };
        }
        for (const item of items) screened.add(item[2] ?? "");
        return { text: items.map((item) => `${item[1]}: safe`).join("\n") };
      }
      // An answer is given only to a message the screen has read.
      return { text: screened.has(lastUserText(request)) ? "Answered after screening." : "UNSCREENED" };
    }, liveToday);
    const mami = await startCore(client, clock, { SAFETY: "input", MODELS_SAFETY: "openai/gpt-oss-safeguard-20b" });
    const replies = await Promise.all(
      Array.from({ length: 60 }, async (_, index) => {
        // Messages arrive over the minute in groups, as chats do in a busy hour.
        await clock.advance((index % 10) * 100);
        return finalReplyOf(mami.reply(chatRequest(`question number ${index} about the weather`, { location: { platform: "cli", chatId: `chat-${index}`, kind: "private" } })));
      }),
    );
    const safetyCalls = client.calls.filter((call) => call.model.includes("safeguard"));
    const answers = replies.filter((reply) => reply.kind === "answer");
    expect(answers).toHaveLength(60);
    for (const reply of answers) expect(reply.text).toBe("Answered after screening.");
    // The safety model takes 30 requests a minute: batching keeps every message screened within it.
    expect(safetyCalls.length).toBeLessThanOrEqual(30);
    expect(screened.size).toBeGreaterThanOrEqual(answers.length);
  });
});
