import type { Message } from "grammy/types";
import { describe, expect, it } from "vitest";
import { addressingOf } from "../../../src/adapters/telegram/addressing.js";
import { toChatRequest } from "../../../src/adapters/telegram/to-chat-request.js";

const bot = { id: 42, username: "mami_test_bot" };
const user = { id: 7, is_bot: false, first_name: "Ada" };
const group = { id: -100_5, type: "supergroup" as const, title: "Testers" };
const noDownloads = () => Promise.reject(new Error("no downloads in this test"));

function groupMessage(fields: Partial<Message>): Message {
  return { message_id: 10, date: 0, chat: group, from: user, ...fields };
}

describe("Telegram addressing", () => {
  it("answers mentions, replies to the bot and its own commands in groups, and nothing else", () => {
    expect(addressingOf(groupMessage({ text: "hello all" }), bot)).toBeUndefined();
    expect(addressingOf(groupMessage({ text: "@MAMI_TEST_BOT hi", entities: [{ type: "mention", offset: 0, length: 14 }] }), bot)?.addressedBy).toBe("mention");
    expect(addressingOf(groupMessage({ text: "@mami_test_bot_2 hi", entities: [{ type: "mention", offset: 0, length: 16 }] }), bot)).toBeUndefined();
    expect(
      addressingOf(groupMessage({ text: "Mami hi", entities: [{ type: "text_mention", offset: 0, length: 4, user: { id: 42, is_bot: true, first_name: "Mami" } }] }), bot)?.addressedBy,
    ).toBe("mention");
    const botMessage = groupMessage({ message_id: 3, from: { id: 42, is_bot: true, first_name: "Mami" }, text: "answer" });
    expect(addressingOf(groupMessage({ text: "thanks", reply_to_message: botMessage as never }), bot)?.addressedBy).toBe("reply");
    const command = (text: string, length: number) => groupMessage({ text, entities: [{ type: "bot_command", offset: 0, length }] });
    expect(addressingOf(command("/help", 5), bot)?.addressedBy).toBe("command");
    expect(addressingOf(command("/help@mami_test_bot", 19), bot)?.addressedBy).toBe("command");
    expect(addressingOf(command("/help@other_bot", 15), bot)).toBeUndefined();
    expect(addressingOf(command("/weather", 8), bot)).toBeUndefined();
    expect(addressingOf(command("/weather@mami_test_bot", 22), bot)?.addressedBy).toBe("command");
    // The command is parsed once, here, with the rest of the line as its text option.
    expect(addressingOf(command("/ask@mami_test_bot what is 2+2?", 18), bot)?.command).toEqual({ name: "ask", options: { prompt: "what is 2+2?" } });
    // /start is /help by another name, also bare in a group.
    expect(addressingOf(command("/start", 6), bot)?.command).toEqual({ name: "help", options: {} });
  });

  it("does not take a forum topic's creation message for a reply, even when the bot created the topic", () => {
    const creation = groupMessage({ message_id: 5, from: { id: 42, is_bot: true, first_name: "Mami" }, forum_topic_created: { name: "t", icon_color: 1 } });
    const inTopic = groupMessage({ text: "hi", message_thread_id: 5, is_topic_message: true, reply_to_message: creation as never });
    expect(addressingOf(inTopic, bot)).toBeUndefined();
    const request = toChatRequest({ ...inTopic, entities: [] }, { addressedBy: "mention" }, { bot, download: noDownloads, receivedAt: 0 });
    expect(request.location).toEqual({ platform: "telegram", chatId: String(group.id), kind: "thread", threadId: "5" });
    expect(request.replyTo).toBeUndefined();
  });

  it("cuts the mention out of the text and keeps the rest, counting UTF-16 offsets like Telegram", () => {
    const text = "👋 @mami_test_bot, what is 2+2?";
    const message = groupMessage({ text, entities: [{ type: "mention", offset: 3, length: 14 }] });
    expect(toChatRequest(message, { addressedBy: "mention" }, { bot, download: noDownloads, receivedAt: 0 }).text).toBe("👋 what is 2+2?");
    const leading = groupMessage({ text: "@mami_test_bot: summarize this", entities: [{ type: "mention", offset: 0, length: 14 }] });
    expect(toChatRequest(leading, { addressedBy: "mention" }, { bot, download: noDownloads, receivedAt: 0 }).text).toBe("summarize this");
  });
});
