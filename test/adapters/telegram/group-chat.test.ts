import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  answeredChatCalls,
  callsFor,
  chatCallsMentioning,
  freshGroupId,
  freshUserId,
  messagesOf,
  startTelegramEndToEnd,
  textOf,
  textsIn,
  waitForMessageText,
  type TelegramEndToEnd,
} from "./telegram-end-to-end.js";

describe("Telegram groups", () => {
  let rig: TelegramEndToEnd;

  beforeAll(async () => {
    rig = await startTelegramEndToEnd();
  });

  afterAll(async () => {
    await rig.close();
  });

  it("ignores a group message that does not address the bot: no send, no typing, no Groq call of its own", async () => {
    const { telegram, harness } = rig;
    const chatId = freshGroupId();
    const before = answeredChatCalls(harness.groq).length;
    telegram.pushGroupMessage({ chatId, text: "anyone up for lunch?" });
    telegram.pushGroupMessage({ chatId, text: "/weather@other_weather_bot Paris" });
    telegram.pushGroupMessage({ chatId, text: "/weather Paris" });
    telegram.pushGroupMessage({ chatId, text: "@mami_test_bot hi", from: { id: freshUserId(), is_bot: true, first_name: "Relay" } });
    telegram.pushGroupMessage({ chatId, text: "I asked @mami_test_bot2 about it" });
    // Updates of one chat are handled in order, so once this one is answered the others were seen.
    harness.groq.setResponder(() => "Here I am.");
    telegram.pushGroupMessage({ chatId, mention: true, text: "are you there?" });
    await waitForMessageText(telegram, chatId, "Here I am.");

    expect(textsIn(telegram, chatId)).toEqual(["Here I am."]);
    expect(callsFor(telegram, "sendMessage", chatId)).toHaveLength(1);
    expect(answeredChatCalls(harness.groq).length).toBe(before + 1);
    // The words reach Groq only as the group's recent messages, in view of the mention after them.
    const [sentinelCall] = chatCallsMentioning(harness.groq, "lunch");
    expect(textOf(sentinelCall!)).toMatch(/<recent_chat>\nAda: anyone up for lunch\?\n[\s\S]*<\/recent_chat>\nThe message to answer follows, from Ada\.\n\nare you there\?$/);
  });

  it("answers an @mention with the mention cut from the text, as a reply in the group", async () => {
    const { telegram, harness } = rig;
    const chatId = freshGroupId();
    harness.groq.setResponder(() => "Two plus two is four.");
    const question = telegram.pushGroupMessage({ chatId, mention: true, text: "what is two plus two?" });
    const shown = await waitForMessageText(telegram, chatId, "Two plus two is four.");
    expect(shown.replyToMessageId).toBe(question.message_id);
    const call = chatCallsMentioning(harness.groq, "what is two plus two?")[0]!;
    expect(textOf(call)).not.toContain("@mami_test_bot");
    expect(callsFor(telegram, "sendChatAction", chatId)[0]?.params["action"]).toBe("typing");
    // Drafts are for private chats only: a group reply is sent and edited.
    expect(callsFor(telegram, "sendMessageDraft", chatId)).toHaveLength(0);
  });

  it("answers a text mention (a user picked the bot by name) and a /command@mami_test_bot", async () => {
    const { telegram, harness } = rig;
    const chatId = freshGroupId();
    harness.groq.setResponder(() => "Named and answered.");
    telegram.pushGroupMessage({ chatId, mention: "text_mention", text: "can you hear me?" });
    await waitForMessageText(telegram, chatId, "Named and answered.");
    telegram.pushGroupMessage({ chatId, text: "/help@mami_test_bot" });
    await telegram.waitForCall("sendMessage", (call) => Number(call.params["chat_id"]) === chatId && String(call.params["text"]).includes("/reset"));
    expect(textOf(chatCallsMentioning(harness.groq, "can you hear me?")[0]!)).not.toContain("Mami can you");
  });

  it("continues a conversation when someone replies to the bot, and starts a fresh one on another member's mention", async () => {
    const { telegram, harness } = rig;
    const chatId = freshGroupId();
    harness.groq.setResponder(() => "The secret word is marmalade.");
    telegram.pushGroupMessage({ chatId, mention: true, text: "Remember the secret word: marmalade." });
    const first = await waitForMessageText(telegram, chatId, "The secret word is marmalade.");

    harness.groq.setResponder(() => "You told me marmalade.");
    const reply = telegram.pushGroupMessage({ chatId, replyToBotMessageId: first.messageId, text: "Which word did I tell you?" });
    const second = await waitForMessageText(telegram, chatId, "You told me marmalade.");
    expect(second.replyToMessageId).toBe(reply.message_id);
    const continued = chatCallsMentioning(harness.groq, "Which word did I tell you?")[0]!;
    expect(textOf(continued)).toContain("Remember the secret word: marmalade.");
    expect(textOf(continued)).toContain("The secret word is marmalade.");

    // A reply to the second answer still continues the same conversation.
    harness.groq.setResponder(() => "Still marmalade.");
    telegram.pushGroupMessage({ chatId, replyToBotMessageId: second.messageId, text: "And now?" });
    await waitForMessageText(telegram, chatId, "Still marmalade.");
    expect(textOf(chatCallsMentioning(harness.groq, "And now?")[0]!)).toContain("Remember the secret word: marmalade.");

    harness.groq.setResponder(() => "A fresh start.");
    telegram.pushGroupMessage({ chatId, from: { id: freshUserId(), first_name: "Grace" }, mention: true, text: "Unrelated question." });
    await waitForMessageText(telegram, chatId, "A fresh start.");
    // No earlier turns: the exchange above is in view only among the group's recent messages.
    expect(messagesOf(chatCallsMentioning(harness.groq, "Unrelated question.")[0]!).map((message) => message.role)).toEqual(["system", "user"]);
  });

  it("passes the quoted message to the core when a mention replies to someone else's message", async () => {
    const { telegram, harness } = rig;
    const chatId = freshGroupId();
    harness.groq.setResponder(() => "It says the build is green.");
    telegram.pushGroupMessage({
      chatId,
      mention: true,
      text: "what does this say?",
      replyToUserMessage: { text: "Deploy note: the build is green as of 14:05." },
    });
    await waitForMessageText(telegram, chatId, "It says the build is green.");
    expect(textOf(chatCallsMentioning(harness.groq, "what does this say?")[0]!)).toContain("the build is green as of 14:05");
  });

  it("answers in the same forum topic: message_thread_id on every call, and a topic message is not taken for a reply", async () => {
    const { telegram, harness } = rig;
    const chatId = freshGroupId();
    const threadId = 777;
    // The topic's creation message is what Telegram puts in reply_to_message: not addressed.
    telegram.pushGroupMessage({ chatId, messageThreadId: threadId, text: "chatting among ourselves" });
    harness.groq.setResponder(() => "Answered inside the topic.");
    telegram.pushGroupMessage({ chatId, messageThreadId: threadId, mention: true, text: "hello from the topic" });
    const shown = await waitForMessageText(telegram, chatId, "Answered inside the topic.");
    expect(shown.messageThreadId).toBe(threadId);
    expect(textsIn(telegram, chatId)).toEqual(["Answered inside the topic."]);
    const botCalls = telegram.calls.filter(
      (call) => Number(call.params["chat_id"]) === chatId && ["sendMessage", "sendChatAction"].includes(call.method),
    );
    expect(botCalls.length).toBeGreaterThanOrEqual(2);
    for (const call of botCalls) expect(Number(call.params["message_thread_id"])).toBe(threadId);

    harness.groq.setResponder(() => "Still in the topic.");
    telegram.pushGroupMessage({ chatId, messageThreadId: threadId, replyToBotMessageId: shown.messageId, text: "and a follow-up" });
    const followUp = await waitForMessageText(telegram, chatId, "Still in the topic.");
    expect(followUp.messageThreadId).toBe(threadId);
    expect(textOf(chatCallsMentioning(harness.groq, "and a follow-up")[0]!)).toContain("hello from the topic");
  });
});
