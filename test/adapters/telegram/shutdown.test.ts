/**
 * A stop under load: answers that outlast the grace period are cut short with a note, the
 * updates taken are confirmed all the same (so the next process answers none of them twice),
 * and the stop ends in bounded time even when Telegram holds the note back.
 */
import { afterEach, describe, expect, it } from "vitest";
import { abortedRequestsWaitMs } from "../../../src/core/platform-adapter.js";
import { wordingFor } from "../../../src/core/language/wording.js";
import { stoppedReply } from "../../../src/core/pipeline/replies.js";
import { answeredChatCalls, freshUserId, slowStreamingModels, startTelegramEndToEnd, textsIn, waitForMessageText, waitUntil, type TelegramEndToEnd } from "./telegram-end-to-end.js";

/** Long enough, at 40 ms a piece, to still be streaming when the stop's grace runs out. */
const longAnswer = "A slow answer that keeps streaming for a good while. ".repeat(60).trim();

let rig: TelegramEndToEnd | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe("Telegram stop under load", () => {
  it("cuts short an answer that outlasts the grace, confirms its update, and the next process does not answer it again", async () => {
    rig = await startTelegramEndToEnd({ harness: { models: slowStreamingModels(40) }, telegram: { drafts: false } });
    rig.harness.groq.setResponder(() => longAnswer);
    const chatId = freshUserId();
    rig.telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "tell me slowly" });
    await waitUntil(() => textsIn(rig!.telegram, chatId).length > 0, "the answer to start streaming");

    const groq = rig.harness.groq;
    await rig.restart({ graceMs: 300 });

    await waitForMessageText(rig.telegram, chatId, stoppedReply([], wordingFor("en")).text);
    // The new process answers a new message, and never the one taken before the stop.
    rig.harness.groq.setResponder(() => "Back again.");
    const sentinel = freshUserId();
    rig.telegram.pushPrivateMessage({ chatId: sentinel, from: { id: sentinel }, text: "are you back?" });
    await waitForMessageText(rig.telegram, sentinel, "Back again.");
    expect(answeredChatCalls(groq).filter((call) => JSON.stringify(call.body).includes("tell me slowly"))).toHaveLength(1);
    expect(textsIn(rig.telegram, chatId).filter((text) => text === "Back again.")).toEqual([]);
  });

  it("ends within the grace and the wait for notes even when Telegram holds every send back for a minute", async () => {
    rig = await startTelegramEndToEnd({ harness: { models: slowStreamingModels(40) }, telegram: { drafts: false } });
    rig.harness.groq.setResponder(() => longAnswer);
    const chatId = freshUserId();
    rig.telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "tell me slowly" });
    await waitUntil(() => textsIn(rig!.telegram, chatId).length > 0, "the answer to start streaming");
    // Flood control for the chat: every edit and send is refused for 59 s, under the retry limit.
    rig.telegram.failNext("editMessageText", { error_code: 429, retry_after: 59 }, 20);
    rig.telegram.failNext("sendMessage", { error_code: 429, retry_after: 59 }, 20);

    const graceMs = 300;
    const startedAt = Date.now();
    await rig.bot.stop(graceMs);
    const tookMs = Date.now() - startedAt;

    expect(tookMs).toBeLessThan(graceMs + abortedRequestsWaitMs + 3_000);
    expect(rig.logs.some((line) => line.message === "Telegram bot stopped" && line.fields["unfinished"] === 1)).toBe(true);
    // Stopped already: only the fakes and the core are left to close.
    await rig.harness.close();
    await rig.telegram.close();
    rig = undefined;
  });
});
