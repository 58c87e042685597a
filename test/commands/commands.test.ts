import { afterEach, describe, expect, it } from "vitest";
import { commandDefinitions, parseCommandLine } from "../../commands/index.js";
import { supportedLanguages } from "../../src/core/language/languages.js";
import { wordingFor } from "../../src/core/language/wording.js";
import type { Mami } from "../../src/core/mami.js";
import { finalReplyOf, type ReplyStream } from "../../src/core/reply.js";
import type { ChatRequest } from "../../src/core/request.js";
import { chatRequest } from "../support/chat-request.js";
import { startMamiHarness, type MamiHarness } from "../support/mami-harness.js";
import { noticeOf } from "../support/reply-kinds.js";

/** A command as an adapter hands it to the core: parsed once, carried in the request. */
function runCommand(mami: Mami, request: ChatRequest, name: string, options: Record<string, string | undefined>): ReplyStream {
  return mami.reply({ ...request, addressedBy: "command", command: { name, options } });
}

let harness: MamiHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("typed command lines", () => {
  it("splits the name, the bot's username and the rest of the line", () => {
    expect(parseCommandLine("/ask@mami_bot what is a monad?")).toEqual({ name: "ask", options: { prompt: "what is a monad?" } });
    expect(parseCommandLine("/MODEL code")).toEqual({ name: "model", options: { choice: "code" } });
    expect(parseCommandLine("/reset")).toEqual({ name: "reset", options: {} });
    expect(parseCommandLine("not a command")).toBeUndefined();
    // Telegram sends /start when someone opens the bot: it is /help by another name.
    expect(parseCommandLine("/start")).toEqual({ name: "help", options: {} });
  });

  it("defines each INTERFACE.md command once, with descriptions the platforms accept", () => {
    expect(commandDefinitions.map((command) => command.name)).toEqual(["ask", "search", "reset", "model", "status", "cancel", "help", "persona", "usage", "stats"]);
    for (const command of commandDefinitions) {
      expect(command.name).toMatch(/^[a-z]{1,32}$/);
      // Discord takes at most 100 characters, in every language the description is registered in.
      for (const language of supportedLanguages) {
        const words = wordingFor(language);
        expect(command.description(words).length).toBeGreaterThan(2);
        expect(command.description(words).length).toBeLessThanOrEqual(100);
        for (const option of command.options) expect(option.description(words).length).toBeLessThanOrEqual(100);
      }
    }
  });
});

describe("running commands", () => {
  it("answers an unknown command or a bad option with what to do", async () => {
    harness = await startMamiHarness();
    const unknown = await finalReplyOf(runCommand(harness.mami, chatRequest("/frobnicate"), "frobnicate", {}));
    expect(unknown.text).toBe("There is no /frobnicate command. Try /help.");
    const tooLong = await finalReplyOf(runCommand(harness.mami, chatRequest("/ask"), "ask", { prompt: "x".repeat(9_000) }));
    expect(tooLong.kind).toBe("notice");
    expect(tooLong.text).toMatch(/^\/ask: prompt .*Try \/help\.$/);
    const empty = await finalReplyOf(runCommand(harness.mami, chatRequest("/ask"), "ask", {}));
    expect(empty.text).toMatch(/Tell me what to ask/);
  });

  it("shows the model choices, pins a role or a live model, refuses an unknown one, and unpins", async () => {
    harness = await startMamiHarness();
    const request = chatRequest("/model");
    const shown = await finalReplyOf(runCommand(harness.mami, request, "model", {}));
    expect(shown.text).toMatch(/uses auto/);
    expect(noticeOf(shown).choices?.map((choice) => choice.command)).toEqual(expect.arrayContaining(["/model auto", "/model code", "/model openai/gpt-oss-120b"]));
    expect(noticeOf(shown).choices?.map((choice) => choice.command)).not.toContain("/model llama-3.3-70b-versatile");

    await finalReplyOf(runCommand(harness.mami, request, "model", { choice: "logic" }));
    expect(await harness.mami.getPin(request)).toEqual({ role: "logic" });
    const unknown = await finalReplyOf(runCommand(harness.mami, request, "model", { choice: "gpt-5" }));
    expect(unknown.text).toMatch(/I don't know "gpt-5"/);
    expect(await harness.mami.getPin(request)).toEqual({ role: "logic" });
    await finalReplyOf(runCommand(harness.mami, request, "model", { choice: "auto" }));
    expect(await harness.mami.getPin(request)).toBeUndefined();
  });

  it("reports every model's state and the user's usage in /status", async () => {
    harness = await startMamiHarness();
    await finalReplyOf(harness.mami.reply(chatRequest("hello there, how are you?")));
    const status = await finalReplyOf(runCommand(harness.mami, chatRequest("/status"), "status", {}));
    expect(status.text).toMatch(/- llama-3\.3-70b-versatile: gone/);
    expect(status.text).toMatch(/- openai\/gpt-oss-120b \[chat, logic, code, long_context\]: ready, 999 requests left today, \d+ tokens left this minute/);
    expect(status.text).toMatch(/You today: 1 request, \d+ tokens\./);
  });
});

describe("who may run commands", () => {
  const group = { platform: "telegram" as const, chatId: "-100200", kind: "group" as const };

  it("refuses every command to someone the allow-lists leave out, not only /ask", async () => {
    harness = await startMamiHarness({ env: { ALLOWED_USERS: "tg:1" } });
    for (const name of ["status", "reset", "model", "help"]) {
      const reply = await finalReplyOf(runCommand(harness.mami, chatRequest(`/${name}`, { location: group, author: { id: "2", name: "Eve", isBot: false } }), name, {}));
      expect(reply).toMatchObject({ kind: "error", failure: "not_allowed" });
    }
  });

  it("lets only a group's admins pin a model or forget the group's conversations", async () => {
    harness = await startMamiHarness();
    const member = chatRequest("/model code", { location: group, author: { id: "7", name: "Member", isBot: false } });
    const refused = await finalReplyOf(runCommand(harness.mami, member, "model", { choice: "code" }));
    expect(refused.text).toMatch(/Only this chat's admins/);
    expect(await harness.mami.getPin(member)).toBeUndefined();
    expect((await finalReplyOf(runCommand(harness.mami, member, "reset", {}))).text).toMatch(/Only this chat's admins/);

    const chatAdmin = chatRequest("/model code", { location: group, author: { id: "8", name: "Admin", isBot: false, isChatAdmin: true } });
    expect((await finalReplyOf(runCommand(harness.mami, chatAdmin, "model", { choice: "code" }))).text).toMatch(/now uses the code role/);
    expect(await harness.mami.getPin(member)).toEqual({ role: "code" });
  });

  it("counts ADMIN_USERS as admins of every group", async () => {
    harness = await startMamiHarness({ env: { ADMIN_USERS: "tg:9" } });
    const operator = chatRequest("/reset", { location: group, author: { id: "9", name: "Operator", isBot: false } });
    expect((await finalReplyOf(runCommand(harness.mami, operator, "reset", {}))).text).toMatch(/^Done/);
  });

  it("refuses a button tapped by someone other than the person it was shown to", async () => {
    harness = await startMamiHarness();
    const tap = chatRequest("/model code", { author: { id: "5", name: "Someone else", isBot: false }, addressedBy: "button", buttonsShownTo: "4" });
    const reply = await finalReplyOf(harness.mami.reply({ ...tap, command: { name: "model", options: { choice: "code" } } }));
    expect(reply).toMatchObject({ kind: "error", failure: "not_allowed" });
    expect(await harness.mami.getPin(tap)).toBeUndefined();
  });
});
