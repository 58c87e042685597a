import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  answeredChatCalls,
  chatCallsMentioning,
  freshUserId,
  startTelegramEndToEnd,
  textOf,
  textsIn,
  waitForMessageText,
  type TelegramEndToEnd,
} from "./telegram-end-to-end.js";

describe("Telegram bot restart with a SQLite store", () => {
  let directory: string;
  let rig: TelegramEndToEnd;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "mami-telegram-restart-"));
  });

  afterAll(async () => {
    await rig.close();
    await rm(directory, { recursive: true, force: true });
  });

  it("keeps the conversation across a restart of the bot and the core, and does not answer an old message twice", async () => {
    const storeUrl = `sqlite://${join(directory, "mami.sqlite")}`;
    rig = await startTelegramEndToEnd({ harness: { storeUrl } });
    const chatId = freshUserId();
    rig.harness.groq.setResponder(() => "Nice to meet you, Ada.");
    rig.telegram.pushPrivateMessage({ chatId, from: { id: chatId, first_name: "Ada" }, text: "Hello, my name is Ada Lovelace." });
    await waitForMessageText(rig.telegram, chatId, "Nice to meet you, Ada.");

    // A new process: new bot, new core, new Groq fake; only the SQLite file and Telegram remain.
    await rig.restart({ harness: { storeUrl } });
    rig.harness.groq.setResponder(() => "Your name is Ada Lovelace.");
    rig.telegram.pushPrivateMessage({ chatId, from: { id: chatId, first_name: "Ada" }, text: "What is my name?" });
    await waitForMessageText(rig.telegram, chatId, "Your name is Ada Lovelace.");

    const afterRestart = chatCallsMentioning(rig.harness.groq, "What is my name?")[0]!;
    expect(textOf(afterRestart)).toContain("Hello, my name is Ada Lovelace.");
    expect(textOf(afterRestart)).toContain("Nice to meet you, Ada.");
    // The first message was confirmed before the old bot stopped: the new one did not answer it again.
    expect(answeredChatCalls(rig.harness.groq)).toHaveLength(1);
    expect(textsIn(rig.telegram, chatId)).toEqual(["Nice to meet you, Ada.", "Your name is Ada Lovelace."]);
  });
});
