import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apologyText } from "../../../src/adapters/telegram/errors.js";
import {
  freshUserId,
  startTelegramEndToEnd,
  textsIn,
  waitForMessageText,
  waitUntil,
  type TelegramEndToEnd,
} from "./telegram-end-to-end.js";

describe("Telegram failures while handling an update", () => {
  let rig: TelegramEndToEnd;

  beforeAll(async () => {
    rig = await startTelegramEndToEnd();
    rig.harness.groq.setResponder((call) => (call.model.includes("guard") ? "safe" : "All good."));
  });

  afterAll(async () => {
    await rig.close();
  });

  it("answers with an explanation when Telegram keeps failing a file download (500 on getFile), then answers the next message", async () => {
    const { telegram } = rig;
    const chatId = freshUserId();
    // The first 500 is retried once by the bot; the second one reaches the pipeline.
    telegram.failNext("getFile", { error_code: 500 }, 2);
    telegram.pushPrivateMessage({
      chatId,
      from: { id: chatId },
      caption: "read this",
      document: { bytes: new TextEncoder().encode("hello"), fileName: "note.txt", mimeType: "text/plain" },
    });
    await waitUntil(() => textsIn(telegram, chatId).length === 1, "a reply to the failed download");
    // The core explains; the adapter never decides the words.
    expect(textsIn(telegram, chatId)[0]).toMatch(/went wrong/i);
    expect(telegram.calls.filter((call) => call.method === "getFile").map((call) => call.response?.ok)).toEqual([false, false]);

    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "and now?" });
    await waitForMessageText(telegram, chatId, "All good.");
  });

  it("shows the answer once when the message that ends a draft is refused once", async () => {
    const { telegram } = rig;
    const chatId = freshUserId();
    telegram.failNext("sendMessage", { error_code: 400, description: "Bad Request: not enough rights to send text messages to the chat" });
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "hello?" });
    await waitForMessageText(telegram, chatId, "All good.");
    // The sentinel: a chat's messages are handled in order, so once the next one is answered the
    // first is wholly done, and no second copy of its answer can still come.
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "and once more?" });
    await waitUntil(() => textsIn(telegram, chatId).length >= 2, "the sentinel's answer");
    expect(textsIn(telegram, chatId)).toEqual(["All good.", "All good."]);
  });

  it("sends the same text plain when Telegram cannot parse the HTML, for a message and for an edit", async () => {
    const { telegram, harness } = rig;
    const parseError = { error_code: 400, description: 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 0' };
    const isFinalHtml = (params: Record<string, unknown>): boolean => params["parse_mode"] === "HTML" && !String(params["text"]).includes("▍");
    harness.groq.setResponder((call) => (call.model.includes("guard") ? "safe" : "A **bold** move."));

    const privateChat = freshUserId();
    telegram.failNext("sendMessage", parseError, 1, isFinalHtml);
    telegram.pushPrivateMessage({ chatId: privateChat, from: { id: privateChat }, text: "make a move" });
    const plainMessage = await waitForMessageText(telegram, privateChat, "A **bold** move.");
    expect(plainMessage.parseMode).toBeUndefined();

    const groupChat = -1_008_000_000_000 - freshUserId();
    telegram.failNext("editMessageText", parseError, 1, isFinalHtml);
    telegram.pushGroupMessage({ chatId: groupChat, mention: true, text: "make a move" });
    await waitForMessageText(telegram, groupChat, "A **bold** move.");
    expect(rig.logs.filter((record) => record.level === "warn" && /plain text/.test(record.message)).length).toBeGreaterThanOrEqual(2);
    harness.groq.setResponder((call) => (call.model.includes("guard") ? "safe" : "All good."));
  });

  it("apologizes when Telegram refuses to show the answer, logs the update id, and keeps polling", async () => {
    const { telegram } = rig;
    const chatId = freshUserId();
    // The answer's message is refused, and so is the presenter's second try: the update fails.
    telegram.failNext("sendMessage", { error_code: 400, description: "Bad Request: not enough rights to send text messages to the chat" }, 2);
    const failed = telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "hello?" });
    const apology = await waitForMessageText(telegram, chatId, apologyText);
    expect(apology.replyToMessageId).toBe(failed.message_id);
    const logged = rig.logs.find((record) => record.level === "error" && record.message === "Failed to handle a Telegram update");
    expect(logged?.fields["updateId"]).toEqual(expect.any(Number));
    expect(logged?.fields["chatId"]).toBe(chatId);

    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "hello again" });
    await waitUntil(() => textsIn(telegram, chatId).length === 2, "the next answer");
    expect(textsIn(telegram, chatId)).toEqual([apologyText, "All good."]);
  });
});
