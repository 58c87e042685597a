import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Api, GrammyError, InputFile } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeTelegram, type FakeTelegram } from "./fake-telegram/index.js";

let telegram: FakeTelegram;
let api: Api;

beforeAll(async () => {
  telegram = await startFakeTelegram();
  api = new Api(telegram.token, { apiRoot: telegram.apiRoot });
});

afterAll(async () => {
  await telegram.close();
});

async function bodyOf(path: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${telegram.apiRoot}${path}`, init);
  return { status: response.status, body: await response.json() };
}

async function errorOf(promise: Promise<unknown>): Promise<GrammyError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof GrammyError)) throw new Error(`Expected a GrammyError, got ${String(error)}`);
  return error;
}

describe("fake Telegram Bot API", () => {
  it("answers getMe with a bot in privacy mode", async () => {
    const me = await api.getMe();
    expect(me).toMatchObject({ is_bot: true, username: "mami_test_bot", can_join_groups: true, can_read_all_group_messages: false });
  });

  it("answers a wrong token with 401 and an unknown method with 404, in the Bot API's error form", async () => {
    const wrongToken = await bodyOf(`/bot1:wrong/getMe`);
    expect(wrongToken).toEqual({ status: 401, body: { ok: false, error_code: 401, description: "Unauthorized" } });
    const unknownMethod = await bodyOf(`/bot${telegram.token}/sendTelepathy`);
    expect(unknownMethod).toEqual({ status: 404, body: { ok: false, error_code: 404, description: "Not Found" } });
    const error = await errorOf(new Api("1:wrong", { apiRoot: telegram.apiRoot }).getMe());
    expect(error.error_code).toBe(401);
  });

  it("reads parameters from a query string, a urlencoded body and a multipart body", async () => {
    const chatId = 70_001;
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "hi" });
    const fromQuery = await bodyOf(`/bot${telegram.token}/sendMessage?chat_id=${chatId}&text=from%20query`);
    expect(fromQuery.status).toBe(200);
    const fromForm = await bodyOf(`/bot${telegram.token}/sendMessage`, {
      method: "POST",
      body: new URLSearchParams({ chat_id: String(chatId), text: "123" }),
    });
    expect(fromForm.status).toBe(200);
    const form = new FormData();
    form.set("chat_id", String(chatId));
    form.set("text", "<b>from multipart</b>");
    form.set("parse_mode", "HTML");
    const fromMultipart = await bodyOf(`/bot${telegram.token}/sendMessage`, { method: "POST", body: form });
    expect(fromMultipart.status).toBe(200);
    expect(telegram.messagesIn(chatId).map((message) => message.text)).toEqual(["from query", "123", "from multipart"]);
  });

  it("hands out pushed updates, drops those below the offset, and holds an empty poll open", async () => {
    const chatId = 70_002;
    const pushed = telegram.pushPrivateMessage({ chatId, from: { id: chatId, first_name: "Lin" }, text: "hello" });
    const first = await api.getUpdates({ timeout: 0 });
    const mine = first.find((update) => update.message?.message_id === pushed.message_id && update.message.chat.id === chatId);
    expect(mine?.message?.text).toBe("hello");
    const lastId = first.at(-1)?.update_id ?? 0;
    const started = Date.now();
    const empty = await api.getUpdates({ offset: lastId + 1, timeout: 30 });
    expect(empty).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeLessThan(3000);

    const held = api.getUpdates({ offset: lastId + 1, timeout: 30 });
    setTimeout(() => telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "later" }), 100);
    const woken = await held;
    expect(woken.map((update) => update.message?.text)).toEqual(["later"]);
  });

  it("validates HTML like Telegram and keeps the visible text", async () => {
    const chatId = 70_003;
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "hi" });
    const sent = await api.sendMessage(chatId, "<b>bold</b> &lt;tag&gt; <pre><code class=\"language-ts\">let a = 1;</code></pre>", {
      parse_mode: "HTML",
    });
    expect(sent.text).toBe("bold <tag> let a = 1;");
    expect(sent.entities?.map((entity) => entity.type)).toEqual(["bold", "code", "pre"]);

    const unbalanced = await errorOf(api.sendMessage(chatId, "<b>bold <i>both</b></i>", { parse_mode: "HTML" }));
    expect(unbalanced.error_code).toBe(400);
    expect(unbalanced.description).toMatch(/^Bad Request: can't parse entities: Unmatched end tag at byte offset \d+, expected "<\/i>", found "<\/b>"$/);
    const unsupported = await errorOf(api.sendMessage(chatId, "<div>x</div>", { parse_mode: "HTML" }));
    expect(unsupported.description).toBe('Bad Request: can\'t parse entities: Unsupported start tag "div" at byte offset 0');
    const unclosed = await errorOf(api.sendMessage(chatId, "<code>x", { parse_mode: "HTML" }));
    expect(unclosed.description).toBe('Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "code"');
    const tooLong = await errorOf(api.sendMessage(chatId, "x".repeat(4097)));
    expect(tooLong.description).toBe("Bad Request: message is too long");
    // 4096 visible characters are fine even when the markup makes the text longer.
    await api.sendMessage(chatId, `<b>${"y".repeat(4096)}</b>`, { parse_mode: "HTML" });
    const empty = await errorOf(api.sendMessage(chatId, "  <b></b> ", { parse_mode: "HTML" }));
    expect(empty.description).toBe("Bad Request: message text is empty");
  });

  it("edits a bot message and refuses an edit that changes nothing", async () => {
    const chatId = 70_004;
    const user = telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "hi" });
    const sent = await api.sendMessage(chatId, "draft", { reply_parameters: { message_id: user.message_id } });
    expect(sent.reply_to_message?.message_id).toBe(user.message_id);
    await api.editMessageText(chatId, sent.message_id, "<i>final</i>", { parse_mode: "HTML" });
    const same = await errorOf(api.editMessageText(chatId, sent.message_id, "<i>final</i>", { parse_mode: "HTML" }));
    expect(same.description).toMatch(/^Bad Request: message is not modified/);
    const missing = await errorOf(api.editMessageText(chatId, 9999, "x"));
    expect(missing.description).toBe("Bad Request: message to edit not found");
    const notFound = await errorOf(api.sendMessage(chatId, "x", { reply_parameters: { message_id: 9999 } }));
    expect(notFound.description).toBe("Bad Request: message to be replied not found");
    await api.sendMessage(chatId, "x", { reply_parameters: { message_id: 9999, allow_sending_without_reply: true } });
    expect(telegram.messagesIn(chatId)[0]).toMatchObject({ text: "final", editCount: 1, replyToMessageId: user.message_id });
    const keyboard = { inline_keyboard: [[{ text: "auto", callback_data: "/model auto" }]] };
    await api.editMessageReplyMarkup(chatId, sent.message_id, { reply_markup: keyboard });
    expect(telegram.messagesIn(chatId)[0]?.replyMarkup).toEqual(keyboard);
    await api.deleteMessage(chatId, sent.message_id);
    expect(telegram.messagesIn(chatId).map((message) => message.messageId)).not.toContain(sent.message_id);
    const deletedTwice = await errorOf(api.deleteMessage(chatId, sent.message_id));
    expect(deletedTwice.description).toBe("Bad Request: message to delete not found");
    const unknownChat = await errorOf(api.sendMessage(12_345_678, "x"));
    expect(unknownChat.description).toBe("Bad Request: chat not found");
  });

  it("injects flood control and other errors exactly as Telegram sends them", async () => {
    const chatId = 70_005;
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "hi" });
    telegram.failNext("sendMessage", { error_code: 429, retry_after: 3 });
    const raw = await bodyOf(`/bot${telegram.token}/sendMessage?chat_id=${chatId}&text=x`);
    expect(raw).toEqual({
      status: 429,
      body: { ok: false, error_code: 429, description: "Too Many Requests: retry after 3", parameters: { retry_after: 3 } },
    });
    telegram.failNext("getFile", { error_code: 500 }, 2);
    const first = await errorOf(api.getFile("anything"));
    const second = await errorOf(api.getFile("anything"));
    expect([first.error_code, second.error_code]).toEqual([500, 500]);
    const third = await errorOf(api.getFile("anything"));
    expect(third.description).toBe("Bad Request: invalid file_id");
    telegram.failNext("editMessageText", { error_code: 400, description: "Bad Request: message can't be edited" });
    const injected = await errorOf(api.editMessageText(chatId, 1, "x"));
    expect(injected.description).toBe("Bad Request: message can't be edited");
    // A failure can wait for the call it is meant for.
    telegram.failNext("sendMessage", { error_code: 429, retry_after: 1 }, 1, (params) => params["text"] === "the final one");
    await api.sendMessage(chatId, "a streaming one");
    const targeted = await errorOf(api.sendMessage(chatId, "the final one"));
    expect(targeted.parameters.retry_after).toBe(1);
  });

  it("serves photos, documents and voice notes through getFile and downloads", async () => {
    const chatId = 70_006;
    const photoBytes = new Uint8Array(4000).map((_, index) => index % 251);
    const documentBytes = new TextEncoder().encode("name,score\nada,10\n");
    const photoMessage = telegram.pushPrivateMessage({ chatId, from: { id: chatId }, caption: "what is it?", photo: photoBytes });
    expect(photoMessage.photo).toHaveLength(3);
    expect(photoMessage.caption).toBe("what is it?");
    const largest = (photoMessage.photo as { file_id: string; file_size: number }[]).at(-1)!;
    expect(largest.file_size).toBe(4000);
    const file = await api.getFile(largest.file_id);
    const download = await fetch(`${telegram.apiRoot}/file/bot${telegram.token}/${file.file_path}`);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(photoBytes);
    const wrongToken = await fetch(`${telegram.apiRoot}/file/bot1:wrong/${file.file_path}`);
    expect(wrongToken.status).toBe(404);

    const documentMessage = telegram.pushPrivateMessage({
      chatId,
      from: { id: chatId },
      document: { bytes: documentBytes, fileName: "scores.csv", mimeType: "text/csv" },
    });
    expect(documentMessage.document).toMatchObject({ file_name: "scores.csv", mime_type: "text/csv", file_size: documentBytes.byteLength });
    const voiceMessage = telegram.pushPrivateMessage({ chatId, from: { id: chatId }, voice: { bytes: new Uint8Array([1, 2, 3]) } });
    expect(voiceMessage.voice).toMatchObject({ mime_type: "audio/ogg", file_size: 3 });

    const huge = telegram.pushPrivateMessage({
      chatId,
      from: { id: chatId },
      document: { declaredSize: 30 * 1024 * 1024, fileName: "huge.bin", mimeType: "application/octet-stream" },
    });
    const tooBig = await errorOf(api.getFile((huge.document as { file_id: string }).file_id));
    expect(tooBig.description).toBe("Bad Request: file is too big");
  });

  it("pushes an album: one update per item sharing a media_group_id, the caption on the first, every file downloadable", async () => {
    const chatId = 70_010;
    const photos = [1, 2, 3].map((seed) => new Uint8Array(800).fill(seed));
    const album = telegram.pushPrivateAlbum({
      chatId,
      from: { id: chatId },
      items: photos.map((photo, index) => (index === 0 ? { photo, caption: "our trip" } : { photo })),
      arrivalGapMs: 150,
    });
    expect(album.map((message) => message.caption)).toEqual(["our trip", undefined, undefined]);
    const [first, second, third] = album.map((message) => message.message_id);
    expect([second, third]).toEqual([first! + 1, first! + 2]);
    const mediaGroupId = album[0]?.media_group_id;
    expect(typeof mediaGroupId).toBe("string");
    expect(album.map((message) => message.media_group_id)).toEqual([mediaGroupId, mediaGroupId, mediaGroupId]);
    // As a slow upload sends them: the first item at once, the others arrivalGapMs apart.
    const pushedIds = async (): Promise<number[]> =>
      (await api.getUpdates({ timeout: 0 })).flatMap((update) => (update.message?.chat.id === chatId ? [update.message.message_id] : []));
    expect((await pushedIds()).length).toBeLessThan(3);
    await expect.poll(pushedIds).toEqual([first, second, third]);
    const albumUpdates = (await api.getUpdates({ timeout: 0 })).filter((update) => update.message?.chat.id === chatId);
    expect(albumUpdates.map((update) => update.message?.media_group_id)).toEqual([mediaGroupId, mediaGroupId, mediaGroupId]);

    for (const [index, message] of album.entries()) {
      const largest = (message.photo as { file_id: string }[]).at(-1)!;
      const file = await api.getFile(largest.file_id);
      const download = await fetch(`${telegram.apiRoot}/file/bot${telegram.token}/${file.file_path}`);
      expect(new Uint8Array(await download.arrayBuffer())).toEqual(photos[index]);
    }

    // In a group: the mention goes into the first caption, and every item replies to the same message.
    const groupId = -1_009_000_000_003;
    const question = telegram.pushGroupMessage({ chatId: groupId, mention: true, text: "ready?" });
    const answer = await api.sendMessage(groupId, "ready", { reply_parameters: { message_id: question.message_id } });
    const documents = telegram.pushGroupAlbum({
      chatId: groupId,
      mention: true,
      replyToBotMessageId: answer.message_id,
      items: [
        { document: { bytes: new TextEncoder().encode("a,b\n1,2\n"), fileName: "first.csv", mimeType: "text/csv" }, caption: "compare these" },
        { document: { bytes: new TextEncoder().encode("a,b\n3,4\n"), fileName: "second.csv", mimeType: "text/csv" } },
      ],
    });
    expect(documents[0]).toMatchObject({ caption: "@mami_test_bot compare these", caption_entities: [{ type: "mention", offset: 0, length: 14 }] });
    expect(documents[1]?.caption).toBeUndefined();
    expect(documents.map((message) => message.reply_to_message?.message_id)).toEqual([answer.message_id, answer.message_id]);
    expect(documents.map((message) => (message.document as { file_name: string }).file_name)).toEqual(["first.csv", "second.csv"]);

    expect(() => telegram.pushPrivateAlbum({ chatId, items: [{ photo: photos[0]! }] })).toThrow("An album holds 2 to 10 items, not 1.");
    expect(() => telegram.pushPrivateAlbum({ chatId, items: [{ photo: photos[0]! }, { caption: "only words" }] })).toThrow("Every album item needs a photo or a document.");
    expect(() =>
      telegram.pushPrivateAlbum({ chatId, items: [{ photo: photos[0]! }, { document: { bytes: photos[1]!, fileName: "x.bin", mimeType: "application/octet-stream" } }] }),
    ).toThrow("Telegram does not mix photos and documents in one album.");
  });

  it("builds group messages with mentions, replies to the bot and forum topics", async () => {
    const chatId = -1_009_000_000_001;
    const mentioned = telegram.pushGroupMessage({ chatId, mention: true, text: "what time is it?" });
    expect(mentioned.text).toBe("@mami_test_bot what time is it?");
    expect(mentioned.entities).toEqual([{ type: "mention", offset: 0, length: 14 }]);
    expect(mentioned.chat).toMatchObject({ id: chatId, type: "supergroup" });

    const answer = await api.sendMessage(chatId, "noon", { reply_parameters: { message_id: mentioned.message_id } });
    const reply = telegram.pushGroupMessage({ chatId, replyToBotMessageId: answer.message_id, text: "thanks" });
    expect(reply.reply_to_message).toMatchObject({ message_id: answer.message_id, from: { username: "mami_test_bot", is_bot: true } });

    const quoting = telegram.pushGroupMessage({ chatId, mention: "text_mention", text: "summarize", replyToUserMessage: { text: "long story" } });
    expect(quoting.entities?.[0]).toMatchObject({ type: "text_mention", user: { id: telegram.bot.id } });
    expect(quoting.reply_to_message).toMatchObject({ text: "long story", from: { is_bot: false } });

    const command = telegram.pushGroupMessage({ chatId, text: "/model@mami_test_bot code" });
    expect(command.entities).toEqual([{ type: "bot_command", offset: 0, length: 20 }]);

    const forumId = -1_009_000_000_002;
    const inTopic = telegram.pushGroupMessage({ chatId: forumId, messageThreadId: 777, mention: true, text: "hi" });
    expect(inTopic).toMatchObject({ message_thread_id: 777, is_topic_message: true, chat: { is_forum: true } });
    expect(inTopic.reply_to_message).toMatchObject({ message_id: 777, forum_topic_created: { name: "Topic 777" } });
    const inThread = await api.sendMessage(forumId, "in the topic", { message_thread_id: 777 });
    expect(inThread).toMatchObject({ message_thread_id: 777, is_topic_message: true });
    const wrongThread = await errorOf(api.sendMessage(chatId, "x", { message_thread_id: 5 }));
    expect(wrongThread.description).toBe("Bad Request: message thread not found");
  });

  it("delivers callback queries from inline keyboards and accepts one answer each", async () => {
    const chatId = 70_007;
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "/model" });
    const menu = await api.sendMessage(chatId, "Pick one", {
      reply_markup: { inline_keyboard: [[{ text: "role: code", callback_data: "/model code" }]] },
    });
    const tooLongData = await errorOf(
      api.sendMessage(chatId, "x", { reply_markup: { inline_keyboard: [[{ text: "x", callback_data: "d".repeat(65) }]] } }),
    );
    expect(tooLongData.description).toBe("Bad Request: BUTTON_DATA_INVALID");
    const { id } = telegram.tapButton(chatId, menu.message_id, "role: code");
    const updates = await api.getUpdates({ timeout: 0 });
    const query = updates.find((update) => update.callback_query?.id === id)?.callback_query;
    expect(query?.data).toBe("/model code");
    expect(query?.message?.message_id).toBe(menu.message_id);
    await api.answerCallbackQuery(id, { text: "Pinned" });
    const twice = await errorOf(api.answerCallbackQuery(id));
    expect(twice.description).toMatch(/query is too old/);
  });

  it("records drafts, chat actions and commands, and plays an older Bot API without drafts", async () => {
    const chatId = 70_008;
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "hi" });
    await api.sendMessageDraft(chatId, 7, "Thinking about <b>it</b>", { parse_mode: "HTML" });
    expect(telegram.draftsIn(chatId)).toMatchObject([{ draftId: 7, text: "Thinking about it" }]);
    await api.sendChatAction(chatId, "typing");
    const badAction = await errorOf(api.sendChatAction(chatId, "dancing" as "typing"));
    expect(badAction.error_code).toBe(400);
    await api.setMyCommands([{ command: "help", description: "What Mami does" }]);
    expect(telegram.commands()).toEqual([{ command: "help", description: "What Mami does" }]);
    const badCommand = await errorOf(api.setMyCommands([{ command: "Help Me", description: "x" }]));
    expect(badCommand.description).toBe("Bad Request: BOT_COMMAND_INVALID");
    const waited = await telegram.waitForCall("sendChatAction", (call) => call.params["chat_id"] === chatId, 1000);
    expect(waited.params["action"]).toBe("typing");

    const older = await startFakeTelegram({ drafts: false });
    try {
      const olderApi = new Api(older.token, { apiRoot: older.apiRoot });
      older.pushPrivateMessage({ chatId, from: { id: chatId }, text: "hi" });
      const missing = await errorOf(olderApi.sendMessageDraft(chatId, 1, "x"));
      expect(missing.error_code).toBe(404);
    } finally {
      await older.close();
    }
  });

  it("accepts multipart uploads from grammY and ignores the files it does not serve", async () => {
    const error = await errorOf(api.raw.sendDocument({ chat_id: 70_001, document: new InputFile(new Uint8Array([1]), "a.bin") }));
    expect(error.error_code).toBe(404);
    expect(telegram.calls.at(-1)?.params["chat_id"]).toBe("70001");
  });

  it("posts updates to a webhook with its secret token and refuses getUpdates meanwhile", async () => {
    const received: { secret: string | undefined; body: string }[] = [];
    const receiver = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      request.on("end", () => {
        received.push({ secret: request.headers["x-telegram-bot-api-secret-token"] as string | undefined, body });
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const { port } = receiver.address() as AddressInfo;
    try {
      await api.setWebhook(`http://127.0.0.1:${port}/telegram`, { secret_token: "s3cret", drop_pending_updates: true });
      const conflict = await errorOf(api.getUpdates());
      expect(conflict.error_code).toBe(409);
      telegram.pushPrivateMessage({ chatId: 70_009, from: { id: 70_009 }, text: "via webhook" });
      await expect.poll(() => received.length).toBe(1);
      expect(received[0]?.secret).toBe("s3cret");
      expect(JSON.parse(received[0]?.body ?? "{}")).toMatchObject({ message: { text: "via webhook" } });
    } finally {
      await api.deleteWebhook();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
