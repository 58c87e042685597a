import { CompletionBudgets } from "../../../src/core/generation/completion-budgets.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandDefinitions } from "../../../commands/index.js";
import {
  callsFor,
  chatCallsMentioning,
  freshUserId,
  startTelegramEndToEnd,
  textOf,
  textsIn,
  waitForMessageText,
  waitUntil,
  type TelegramEndToEnd,
} from "./telegram-end-to-end.js";

describe("Telegram chat commands", () => {
  let rig: TelegramEndToEnd;

  beforeAll(async () => {
    rig = await startTelegramEndToEnd();
  });

  afterAll(async () => {
    await rig.close();
  });

  it("registers every shared command in Telegram's command menu at start", () => {
    expect(rig.telegram.commands().map((command) => command.command)).toEqual(commandDefinitions.map((definition) => definition.name));
    for (const command of rig.telegram.commands()) expect(command.description.length).toBeGreaterThan(0);
  });

  it("/help and /start explain how to use the bot, without calling Groq", async () => {
    const { telegram, harness } = rig;
    const chatId = freshUserId();
    const groqCallsBefore = harness.groq.calls.length;
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "/help" });
    await waitUntil(() => textsIn(telegram, chatId).length === 1, "the help text");
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "/start" });
    await waitUntil(() => textsIn(telegram, chatId).length === 2, "the help text again");
    const [help, start] = textsIn(telegram, chatId);
    expect(help).toContain("/reset");
    expect(help).toContain("How to talk to me");
    expect(start).toBe(help);
    expect(harness.groq.calls.length).toBe(groqCallsBefore);
    // Markdown from the command became Telegram formatting, not literal asterisks.
    expect(help).not.toContain("**");
    expect(telegram.messagesIn(chatId)[0]!.entities.some((entity) => entity.type === "bold")).toBe(true);
  });

  it("/status lists the models and the user's usage", async () => {
    const { telegram } = rig;
    const chatId = freshUserId();
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "/status" });
    await waitUntil(() => textsIn(telegram, chatId).length === 1, "the status");
    const status = textsIn(telegram, chatId)[0]!;
    expect(status).toContain("Models");
    expect(status).toContain("openai/gpt-oss-120b");
    expect(status).toContain("You today:");
  });

  it("/reset forgets the conversation: the next Groq call no longer carries the earlier exchange", async () => {
    const { telegram, harness } = rig;
    const chatId = freshUserId();
    harness.groq.setResponder(() => "Got it, pineapple.");
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "The code word is pineapple." });
    await waitForMessageText(telegram, chatId, "Got it, pineapple.");
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "/reset" });
    await waitUntil(() => textsIn(telegram, chatId).length === 2, "the reset notice");
    expect(textsIn(telegram, chatId)[1]).toContain("I forgot this conversation");
    harness.groq.setResponder(() => "I do not know any code word.");
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "What is the code word?" });
    await waitForMessageText(telegram, chatId, "I do not know any code word.");
    expect(textOf(chatCallsMentioning(harness.groq, "What is the code word?")[0]!)).not.toContain("pineapple");
  });

  it("/model offers the choices as buttons within Telegram's 64-byte limit; a tap pins the role and answers the query", async () => {
    const { telegram, harness } = rig;
    const chatId = freshUserId();
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "/model" });
    await waitUntil(() => telegram.messagesIn(chatId)[0]?.replyMarkup !== undefined, "the keyboard");
    const menu = telegram.messagesIn(chatId)[0]!;
    expect(menu.text).toContain("Pick one");
    const buttons = menu.replyMarkup!.inline_keyboard.flat();
    expect(buttons.map((button) => button.text)).toEqual(expect.arrayContaining(["auto", "role: code", "model: openai/gpt-oss-120b"]));
    for (const button of buttons) expect(Buffer.byteLength(button.callback_data ?? "", "utf8")).toBeLessThanOrEqual(64);

    const { id } = telegram.tapButton(chatId, menu.messageId, "role: code", { id: chatId });
    await telegram.waitForCall("answerCallbackQuery", (call) => call.params["callback_query_id"] === id);
    await waitUntil(() => textsIn(telegram, chatId).length === 2, "the confirmation");
    expect(textsIn(telegram, chatId)[1]).toBe("This conversation now uses the code role.");
    expect(telegram.messagesIn(chatId)[1]!.replyToMessageId).toBe(menu.messageId);

    // The pin is the core's, for this chat's conversation.
    const pinned = await harness.mami.getPin({
      location: { platform: "telegram", chatId: String(chatId), kind: "private" },
      messageId: "1",
      author: { id: String(chatId), name: "Ada", isBot: false },
      text: "",
      attachments: [],
      addressedBy: "private",
    });
    expect(pinned).toEqual({ role: "code" });
    // A chatty question now goes to the code role (with the code role's larger completion budget).
    harness.groq.setResponder((call) => `Answered by ${call.model}.`);
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "How are you today?" });
    await waitUntil(() => textsIn(telegram, chatId).length === 3, "the pinned answer");
    const call = chatCallsMentioning(harness.groq, "How are you today?")[0]!;
    expect(harness.config.chains.code).toContain(call.model);
    expect((call.body as { max_completion_tokens?: number }).max_completion_tokens).toBe(new CompletionBudgets().budgetFor("code", call.model ?? "", "unknown"));
    expect(textsIn(telegram, chatId)[2]).toBe(`Answered by ${call.model}.`);

    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "/model auto" });
    await waitUntil(() => textsIn(telegram, chatId).length === 4, "the unpin notice");
    expect(textsIn(telegram, chatId)[3]).toContain("auto");
  });

  it("/ask works in a group without a mention and keeps its attachments", async () => {
    const { telegram, harness } = rig;
    const chatId = -1_009_999_000_000 - freshUserId();
    harness.groq.setResponder(() => "Asked and answered.");
    telegram.pushGroupMessage({ chatId, text: "/ask what is a monad?" });
    await waitForMessageText(telegram, chatId, "Asked and answered.");
    expect(chatCallsMentioning(harness.groq, "what is a monad?")).toHaveLength(1);
    expect(callsFor(telegram, "sendChatAction", chatId).length).toBeGreaterThan(0);
  });

  it("tells the user when a command's option is unknown", async () => {
    const { telegram } = rig;
    const chatId = freshUserId();
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "/model banana" });
    await waitUntil(() => textsIn(telegram, chatId).length === 1, "the refusal");
    expect(textsIn(telegram, chatId)[0]).toContain('I don\'t know "banana"');
  });
});
