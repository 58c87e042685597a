import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  answeredChatCalls,
  callsFor,
  chatCallsMentioning,
  freshUserId,
  slowStreamingModels,
  startTelegramEndToEnd,
  textOf,
  waitForMessageText,
  type TelegramEndToEnd,
} from "./telegram-end-to-end.js";

const answer =
  "Paris is the capital of France. It sits on the Seine, has about two million people in the city proper, and has been the capital for most of the last thousand years.";

describe("Telegram private chat, with drafts (Bot API 9.3+)", () => {
  let rig: TelegramEndToEnd;

  beforeAll(async () => {
    rig = await startTelegramEndToEnd({ harness: { models: slowStreamingModels(15) } });
  });

  afterAll(async () => {
    await rig.close();
  });

  it("answers a DM: typing at once, the text streamed as a draft, then the full answer as a reply to the user's message", async () => {
    const { telegram, harness } = rig;
    harness.groq.setResponder(() => answer);
    const chatId = freshUserId();
    const question = telegram.pushPrivateMessage({ chatId, from: { id: chatId, first_name: "Ada" }, text: "What is the capital of France?" });

    const shown = await waitForMessageText(telegram, chatId, answer);
    expect(shown.replyToMessageId).toBe(question.message_id);
    expect(shown.parseMode).toBe("HTML");
    expect(telegram.messagesIn(chatId)).toHaveLength(1);

    const typing = callsFor(telegram, "sendChatAction", chatId);
    const drafts = callsFor(telegram, "sendMessageDraft", chatId);
    const sends = callsFor(telegram, "sendMessage", chatId);
    expect(typing[0]?.params["action"]).toBe("typing");
    expect(drafts.length).toBeGreaterThan(0);
    expect(typing[0]!.index).toBeLessThan(drafts[0]!.index);
    expect(drafts[0]!.index).toBeLessThan(sends[0]!.index);
    // The draft showed the beginning of the answer before the message existed.
    expect(answer.startsWith(telegram.draftsIn(chatId)[0]!.text.replace(/\s*▍$/, "").slice(0, 20))).toBe(true);

    const groqCall = chatCallsMentioning(harness.groq, "What is the capital of France?")[0]!;
    expect(groqCall).toBeDefined();
    expect(textOf(groqCall)).not.toContain("@mami_test_bot");
  });

  it("keeps one conversation per private chat: the second question's Groq call carries the first exchange", async () => {
    const { telegram, harness } = rig;
    const chatId = freshUserId();
    harness.groq.setResponder(() => "Noted: your favourite colour is teal.");
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "My favourite colour is teal." });
    await waitForMessageText(telegram, chatId, "Noted: your favourite colour is teal.");
    harness.groq.setResponder(() => "It is teal.");
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "What is my favourite colour?" });
    await waitForMessageText(telegram, chatId, "It is teal.");

    const second = chatCallsMentioning(harness.groq, "What is my favourite colour?").at(-1)!;
    expect(textOf(second)).toContain("My favourite colour is teal.");
    expect(textOf(second)).toContain("Noted: your favourite colour is teal.");
  });

  it("ignores messages from other bots, even in a private chat", async () => {
    const { telegram, harness } = rig;
    const chatId = freshUserId();
    const before = answeredChatCalls(harness.groq).length;
    telegram.pushPrivateMessage({ chatId, from: { id: chatId, is_bot: true, first_name: "OtherBot" }, text: "beep" });
    harness.groq.setResponder(() => "Hello, human.");
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "hello" });
    await waitForMessageText(telegram, chatId, "Hello, human.");
    expect(telegram.messagesIn(chatId)).toHaveLength(1);
    expect(answeredChatCalls(harness.groq).length).toBe(before + 1);
  });
});

describe("Telegram private chat, on a Bot API without drafts", () => {
  let rig: TelegramEndToEnd;

  beforeAll(async () => {
    rig = await startTelegramEndToEnd({ harness: { models: slowStreamingModels(25) }, telegram: { drafts: false } });
  });

  afterAll(async () => {
    await rig.close();
  });

  it("streams by sending the first text at once and editing it, learns once that drafts are missing, and lands the final text", async () => {
    const { telegram, harness } = rig;
    const longerAnswer = `${answer} ${answer} ${answer}`;
    harness.groq.setResponder(() => longerAnswer);
    const chatId = freshUserId();
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "Tell me about Paris" });
    await waitForMessageText(telegram, chatId, longerAnswer);
    expect(callsFor(telegram, "editMessageText", chatId).length).toBeGreaterThan(0);
    expect(telegram.messagesIn(chatId)).toHaveLength(1);

    const secondChat = freshUserId();
    harness.groq.setResponder(() => "Short answer.");
    telegram.pushPrivateMessage({ chatId: secondChat, from: { id: secondChat }, text: "Short question?" });
    await waitForMessageText(telegram, secondChat, "Short answer.");
    expect(telegram.calls.filter((call) => call.method === "sendMessageDraft")).toHaveLength(1);
  });
});
