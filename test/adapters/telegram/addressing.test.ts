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
    expect(addressingOf(groupMessage({ text: "@MAMI_TEST_BOT hi", entities: [{ type: "mention", offset: 0, length: 14 }] }), bot)).toBe("mention");
    expect(addressingOf(groupMessage({ text: "@mami_test_bot_2 hi", entities: [{ type: "mention", offset: 0, length: 16 }] }), bot)).toBeUndefined();
    expect(
      addressingOf(groupMessage({ text: "Mami hi", entities: [{ type: "text_mention", offset: 0, length: 4, user: { id: 42, is_bot: true, first_name: "Mami" } }] }), bot),
    ).toBe("mention");
    const botMessage = groupMessage({ message_id: 3, from: { id: 42, is_bot: true, first_name: "Mami" }, text: "answer" });
    expect(addressingOf(groupMessage({ text: "thanks", reply_to_message: botMessage as never }), bot)).toBe("reply");
    const command = (text: string, length: number) => groupMessage({ text, entities: [{ type: "bot_command", offset: 0, length }] });
    expect(addressingOf(command("/help", 5), bot)).toBe("command");
    expect(addressingOf(command("/help@mami_test_bot", 19), bot)).toBe("command");
    expect(addressingOf(command("/help@other_bot", 15), bot)).toBeUndefined();
    expect(addressingOf(command("/weather", 8), bot)).toBeUndefined();
    expect(addressingOf(command("/weather@mami_test_bot", 22), bot)).toBe("command");
  });

  it("does not take a forum topic's creation message for a reply, even when the bot created the topic", () => {
    const creation = groupMessage({ message_id: 5, from: { id: 42, is_bot: true, first_name: "Mami" }, forum_topic_created: { name: "t", icon_color: 1 } });
    const inTopic = groupMessage({ text: "hi", message_thread_id: 5, is_topic_message: true, reply_to_message: creation as never });
    expect(addressingOf(inTopic, bot)).toBeUndefined();
    const request = toChatRequest({ ...inTopic, entities: [] }, "mention", bot, noDownloads);
    expect(request.location).toEqual({ platform: "telegram", chatId: String(group.id), kind: "thread", threadId: "5" });
    expect(request.replyTo).toBeUndefined();
  });

  it("cuts the mention out of the text and keeps the rest, counting UTF-16 offsets like Telegram", () => {
    const text = "👋 @mami_test_bot, what is 2+2?";
    const message = groupMessage({ text, entities: [{ type: "mention", offset: 3, length: 14 }] });
    expect(toChatRequest(message, "mention", bot, noDownloads).text).toBe("👋 what is 2+2?");
    const leading = groupMessage({ text: "@mami_test_bot: summarize this", entities: [{ type: "mention", offset: 0, length: 14 }] });
    expect(toChatRequest(leading, "mention", bot, noDownloads).text).toBe("summarize this");
  });
});
