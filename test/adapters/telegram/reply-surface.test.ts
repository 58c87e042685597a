/**
 * The Telegram reply surface against the fake Bot API, through grammY's real `Api`: which parts
 * of a reply are passing drafts and which are messages that last.
 */
import { Api } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChoiceKeyboards } from "../../../src/adapters/telegram/choice-keyboard.js";
import { DraftSupport } from "../../../src/adapters/telegram/draft-support.js";
import { TelegramReplySurface } from "../../../src/adapters/telegram/reply-surface.js";
import { systemClock } from "../../../src/core/ports/clock.js";
import { silentLogger } from "../../../src/core/ports/logger.js";
import { startFakeTelegram, type FakeTelegram } from "../../fakes/fake-telegram/index.js";

let telegram: FakeTelegram;
let nextUserId = 7_100;

beforeAll(async () => {
  telegram = await startFakeTelegram();
});

afterAll(async () => {
  await telegram.close();
});

/** A surface replying to a fresh user's message in their private chat, where drafts work. */
function surfaceInPrivateChat(): { readonly surface: TelegramReplySurface; readonly chatId: number; readonly questionId: number } {
  const chatId = (nextUserId += 1);
  const question = telegram.pushPrivateMessage({ chatId, from: { id: chatId, first_name: "Ada" }, text: "a question" });
  const api = new Api(telegram.token, { apiRoot: telegram.apiRoot });
  const target = { chatId, isPrivateChat: true, messageThreadId: undefined, replyToMessageId: question.message_id, askerId: String(chatId) };
  return { surface: new TelegramReplySurface(api, target, new DraftSupport(1), new ChoiceKeyboards(), systemClock, silentLogger), chatId, questionId: question.message_id };
}

function callsIn(method: string, chatId: number) {
  return telegram.calls.filter((call) => call.method === method && Number(call.params["chat_id"]) === chatId);
}

describe("the Telegram reply surface in a private chat", () => {
  it("streams a passing part as a draft", async () => {
    const { surface, chatId } = surfaceInPrivateChat();
    await surface.sendPart("The answer begins", { final: false });
    expect(callsIn("sendMessageDraft", chatId)).toHaveLength(1);
    expect(telegram.messagesIn(chatId)).toHaveLength(0);
  });

  it("shows a part that stands a while (a place in the queue) as a message replying to the question, edited into the answer", async () => {
    const { surface, chatId, questionId } = surfaceInPrivateChat();
    // A draft vanishes within seconds, and when another message lands in the chat: a notice
    // that stands most of a minute must be a message.
    const partId = await surface.sendPart("⏳ Busy right now: your message is in the queue, about 40 seconds.", { final: false, lasting: true });
    expect(callsIn("sendMessageDraft", chatId)).toHaveLength(0);
    expect(telegram.messagesIn(chatId)).toMatchObject([{ text: "⏳ Busy right now: your message is in the queue, about 40 seconds.", replyToMessageId: questionId }]);
    await surface.editPart(partId, "The answer, at last.", { final: true });
    expect(telegram.messagesIn(chatId)).toMatchObject([{ text: "The answer, at last.", replyToMessageId: questionId }]);
    expect(await surface.finish([partId], [])).toEqual([partId]);
  });

  it("lands a streaming draft as a message once it comes to stand a while (an answer waiting to go on)", async () => {
    const { surface, chatId } = surfaceInPrivateChat();
    const partId = await surface.sendPart("Half an answer ▍", { final: false });
    expect(telegram.messagesIn(chatId)).toHaveLength(0);
    await surface.editPart(partId, "Half an answer ▍\n\n⏳ Busy right now: the rest of this answer follows in about 30 seconds.", { final: false, lasting: true });
    expect(callsIn("sendMessageDraft", chatId)).toHaveLength(1);
    expect(telegram.messagesIn(chatId)).toMatchObject([{ text: expect.stringContaining("the rest of this answer follows") }]);
    // It goes on as edits of that message, and lands nothing twice.
    await surface.editPart(partId, "Half an answer, and the rest.", { final: true });
    const [messageId] = await surface.finish([partId], []);
    expect(telegram.messagesIn(chatId)).toMatchObject([{ text: "Half an answer, and the rest.", messageId: Number(messageId) }]);
  });
});
