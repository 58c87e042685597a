import { RecordingSurface } from "../../support/recording-surface.js";
import { answerOf, errorOf } from "../../support/reply-kinds.js";
import { afterEach, describe, expect, it } from "vitest";
import { finalReplyOf } from "../../../src/core/reply.js";
import type { ChatRequest } from "../../../src/core/request.js";
import { freeTierModels } from "../../fakes/fake-groq/index.js";
import { chatRequest } from "../../support/chat-request.js";
import { ShiftedClock } from "../../support/shifted-clock.js";
import { startMamiHarness, type MamiHarness } from "../../support/mami-harness.js";

const big = "openai/gpt-oss-120b";

interface SentMessage {
  readonly role: string;
  readonly content: unknown;
}

function lastCallMessages(harness: MamiHarness): SentMessage[] {
  const calls = harness.groq.calls.filter((call) => call.path.endsWith("/chat/completions") && call.status === 200);
  return (calls.at(-1)?.body as { messages: SentMessage[] }).messages;
}

function texts(messages: readonly SentMessage[]): string[] {
  return messages.filter((message) => message.role !== "system").map((message) => String(message.content));
}

function groupMessage(text: string, messageId: string, replyTo?: ChatRequest["replyTo"], authorId = "tester"): ChatRequest {
  return chatRequest(text, {
    location: { platform: "telegram", chatId: "-100200", kind: "group" },
    author: { id: authorId, name: "Tester", isBot: false },
    messageId,
    addressedBy: replyTo === undefined ? "mention" : "reply",
    ...(replyTo === undefined ? {} : { replyTo }),
  });
}

let harness: MamiHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("conversation memory", () => {
  it("keeps a private chat's history and sends it with the next message", async () => {
    harness = await startMamiHarness();
    await finalReplyOf(harness.mami.reply(chatRequest("my name is Ayşe, remember it")));
    await finalReplyOf(harness.mami.reply(chatRequest("what is my name?")));
    const sent = texts(lastCallMessages(harness));
    expect(sent[0]).toBe("my name is Ayşe, remember it");
    expect(sent[1]).toContain("Answer from");
    expect(sent[2]).toBe("what is my name?");
  });

  it("starts a new conversation for each fresh mention in a group and continues a reply thread", async () => {
    // Without the group's recent messages, so that only the conversations' own turns are sent.
    harness = await startMamiHarness({ env: { GROUP_CONTEXT_MESSAGES: "0" } });
    const first = groupMessage("first topic: tell me about owls", "10");
    // Shown as message 11: a reply to it continues this conversation.
    await harness.mami.receive(first, new RecordingSurface({ firstMessageId: 11 }));

    // Another member's mention: the same member's would continue their last exchange.
    await finalReplyOf(harness.mami.reply(groupMessage("a separate question about cats", "12", undefined, "someone-else")));
    expect(texts(lastCallMessages(harness))).toEqual(["a separate question about cats"]);

    const followUp = groupMessage("and how long do they live?", "13", { messageId: "11", fromBot: true, authorName: "Mami", text: "Owls are birds…", attachments: [] });
    await finalReplyOf(harness.mami.reply(followUp));
    const sent = texts(lastCallMessages(harness));
    expect(sent[0]).toBe("first topic: tell me about owls");
    expect(sent.at(-1)).toBe("and how long do they live?");
  });

  it("includes the quoted message when a mention replies to someone else", async () => {
    harness = await startMamiHarness();
    await finalReplyOf(
      harness.mami.reply(groupMessage("is this true?", "20", { messageId: "19", fromBot: false, authorName: "Bora", text: "Bats are blind", attachments: [] })),
    );
    const sent = texts(lastCallMessages(harness));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain("Replying to Bora: «Bats are blind»");
    expect(sent[0]).toContain("is this true?");
  });

  it("trims history to the turn budget, keeping the newest turns", async () => {
    harness = await startMamiHarness({ env: { HISTORY_MAX_TURNS: "4" } });
    for (const word of ["one", "two", "three", "four"]) await finalReplyOf(harness.mami.reply(chatRequest(`message ${word}`)));
    await finalReplyOf(harness.mami.reply(chatRequest("message five")));
    const sent = texts(lastCallMessages(harness));
    expect(sent).toHaveLength(5);
    expect(sent[0]).toBe("message three");
    expect(sent[2]).toBe("message four");
    expect(sent[4]).toBe("message five");
  });

  it("trims history to fit the chosen model's per-minute token limit", async () => {
    const clock = new ShiftedClock();
    const models = freeTierModels.map((model) => (model.id === big ? { ...model, tokensPerMinute: 12_000 } : model));
    harness = await startMamiHarness({ clock, models, env: { MODELS_CHAT: big } });
    const paragraph = "This is a long story about a village by the sea and its people. ".repeat(90);
    for (let turn = 0; turn < 8; turn += 1) {
      const reply = await finalReplyOf(harness.mami.reply(chatRequest(`${turn}: ${paragraph}`)));
      expect(answerOf(reply).model).toBe(big);
      clock.advance(61_000);
    }
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("summarise what I said")));
    expect(answerOf(reply).model).toBe(big);
    const sent = texts(lastCallMessages(harness));
    expect(sent.at(-1)).toBe("summarise what I said");
    // Each exchange is about 1,500 tokens: the 12,000 TPM, less the completion budget, holds six or so.
    expect(sent.length).toBeLessThan(17);
    expect(sent.length).toBeGreaterThan(4);
    expect(sent[0]?.startsWith("0:")).toBe(false);
    expect(sent.at(-3)?.startsWith("7:")).toBe(true);
  });

  it("forgets a conversation on reset", async () => {
    harness = await startMamiHarness();
    await finalReplyOf(harness.mami.reply(chatRequest("remember the number 42")));
    await harness.mami.resetConversation(chatRequest("/reset"));
    await finalReplyOf(harness.mami.reply(chatRequest("which number?")));
    expect(texts(lastCallMessages(harness))).toEqual(["which number?"]);
  });

  it("forgets every reply thread of a group on a /reset sent to the group", async () => {
    harness = await startMamiHarness();
    const first = groupMessage("remember: the password is swordfish", "30");
    await harness.mami.receive(first, new RecordingSurface({ firstMessageId: 31 }));
    const admin = groupMessage("/reset", "32");
    expect(await harness.mami.resetConversation({ ...admin, author: { ...admin.author, isChatAdmin: true } })).toBe("changed");
    await finalReplyOf(
      harness.mami.reply(groupMessage("what was the password?", "33", { messageId: "31", fromBot: true, authorName: "Mami", text: "Noted.", attachments: [] })),
    );
    const sent = texts(lastCallMessages(harness));
    expect(sent.join("\n")).not.toContain("swordfish");
  });
});

describe("pins", () => {
  it("routes to a pinned role and answers from a pinned model", async () => {
    harness = await startMamiHarness({ env: { REPLY_FOOTER: "on" } });
    const request = chatRequest("hello there, how are you?");
    await harness.mami.setPin(request, { role: "code" });
    const asCode = await finalReplyOf(harness.mami.reply(request));
    expect(answerOf(asCode).role).toBe("code");
    expect(asCode.text).toMatch(/· code_$/);

    await harness.mami.setPin(request, { model: "openai/gpt-oss-20b" });
    const pinnedModel = await finalReplyOf(harness.mami.reply(chatRequest("hello again, friend")));
    expect(answerOf(pinnedModel).model).toBe("openai/gpt-oss-20b");
    expect(await harness.mami.getPin(request)).toEqual({ model: "openai/gpt-oss-20b" });

    await harness.mami.setPin(request, undefined);
    expect(await harness.mami.getPin(request)).toBeUndefined();
  });
});

describe("access and budgets", () => {
  it("records usage per user and stops a user past the daily budget with when it resets", async () => {
    harness = await startMamiHarness({ env: { USER_DAILY_TOKENS: "30" } });
    const request = chatRequest("hello there, how are you today?", { location: { platform: "telegram", chatId: "7", kind: "private" } });
    const first = await finalReplyOf(harness.mami.reply(request));
    expect(first.kind).toBe("answer");
    const usage = await harness.mami.usageToday(request);
    expect(usage.requests).toBe(1);
    expect(usage.tokens).toBe(answerOf(first).usage?.totalTokens);
    const second = await finalReplyOf(harness.mami.reply(request));
    expect(second.kind).toBe("error");
    expect(errorOf(second).failure).toBe("budget_spent");
    expect(second.text).toMatch(/resets in about/);
  });

  it("answers only allowed users and chats, and tells others", async () => {
    harness = await startMamiHarness({ env: { ALLOWED_USERS: "tg:1", ALLOWED_CHATS: "tg:-100", ADMIN_USERS: "tg:9" } });
    const at = (userId: string, chatId: string): ChatRequest =>
      chatRequest("hello there, friend", { location: { platform: "telegram", chatId, kind: "group" }, author: { id: userId, name: "u", isBot: false } });
    expect((await finalReplyOf(harness.mami.reply(at("1", "-555")))).kind).toBe("answer");
    expect((await finalReplyOf(harness.mami.reply(at("2", "-100")))).kind).toBe("answer");
    expect((await finalReplyOf(harness.mami.reply(at("9", "-555")))).kind).toBe("answer");
    const refused = await finalReplyOf(harness.mami.reply(at("2", "-555")));
    expect(errorOf(refused).failure).toBe("not_allowed");
    expect(harness.groq.calls.filter((call) => call.path.endsWith("/chat/completions"))).toHaveLength(3);
  });
});
