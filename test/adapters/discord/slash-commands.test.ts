/**
 * Slash commands and "Ask Mami" end to end: deferred at once, answered by editing the deferred
 * reply, long answers continued in follow-ups, and each chat command run by the real core.
 */
import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DispatchedInteraction } from "../../fakes/fake-discord/index.js";
import { chatCalls, eventually, printLogsIfFailed, sentToGroq, startDiscordFixture, type DiscordFixture } from "./discord-fixture.js";
import { answerInParts } from "../../support/answer-in-parts.js";

let fixture: DiscordFixture;

beforeEach(async () => {
  fixture = await startDiscordFixture();
});

afterEach(async (context) => {
  printLogsIfFailed(context, fixture);
  await fixture.close();
});

const generalChannelId = "1320000000000000001";
const deferredChannelMessage = 5;
const autocompleteResult = 8;

function answerWith(text: string): void {
  fixture.harness.groq.setResponder(answerInParts(text));
}

/** The interaction's visible messages (original response first, then follow-ups) once `done` holds. */
function interactionTexts(dispatched: DispatchedInteraction, done: (texts: string[]) => boolean): Promise<string[]> {
  return eventually(
    () => {
      const texts = fixture.fake
        .visibleMessages(dispatched.channelId)
        .filter((message) => message.interactionToken === dispatched.token && !message.pending)
        .map((message) => message.content);
      return done(texts) ? texts : undefined;
    },
    10_000,
    () => `the reply to interaction ${dispatched.id}; visible: ${JSON.stringify(fixture.fake.visibleMessages(dispatched.channelId))}`,
  );
}

function textIncludes(fragment: string): (texts: string[]) => boolean {
  return (texts) => texts.join("\n").includes(fragment);
}

describe("/ask", () => {
  it("is deferred at once (callback type 5), then the deferred reply is edited with the answer", async () => {
    answerWith("A monad is a monoid in the category of endofunctors.");
    const ask = fixture.fake.runSlashCommand({ name: "ask", options: { prompt: "what is a monad?" } });
    const callback = await fixture.fake.waitForCall("POST", `/interactions/${ask.id}/${ask.token}/callback`);
    expect(callback.body).toMatchObject({ type: deferredChannelMessage });
    expect(callback.at - ask.dispatchedAt).toBeLessThan(3_000);

    const texts = await interactionTexts(ask, (shown) => shown.length > 0 && shown[0] === "A monad is a monoid in the category of endofunctors.");
    expect(texts).toHaveLength(1);
    await fixture.fake.waitForCall("PATCH", `/webhooks/${fixture.fake.world.applicationId}/${ask.token}/messages/@original`);
    expect(sentToGroq(chatCalls(fixture.harness).at(-1)!)).toContain("what is a monad?");
  });

  it("lets a reply to its answer continue the conversation", async () => {
    answerWith("Paris is the capital of France.");
    const ask = fixture.fake.runSlashCommand({ name: "ask", options: { prompt: "capital of France?" } });
    await interactionTexts(ask, (shown) => shown[0] === "Paris is the capital of France.");
    const answer = fixture.fake.visibleMessages(ask.channelId).find((message) => message.interactionToken === ask.token)!;

    answerWith("About two million people.");
    fixture.fake.sendGuildMessage({ content: "how many people live there?", replyTo: answer.id });
    await eventually(() => fixture.fake.visibleMessages(generalChannelId).find((message) => message.content === "About two million people."));
    const followUpCall = sentToGroq(chatCalls(fixture.harness).at(-1)!);
    expect(followUpCall).toContain("capital of France?");
    expect(followUpCall).toContain("Paris is the capital of France.");
  });

  it("continues a long answer in follow-ups, each within 2000 characters", async () => {
    const answer = Array.from({ length: 45 }, (_, index) => `Line ${index}: a long answer needs more than one Discord message.`).join("\n");
    answerWith(answer);
    const ask = fixture.fake.runSlashCommand({ name: "ask", options: { prompt: "tell me everything" } });
    const texts = await interactionTexts(ask, (shown) => shown.join("\n") === answer);
    expect(texts.length).toBeGreaterThanOrEqual(2);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(2_000);
    expect(fixture.fake.findCalls("POST", `/webhooks/${fixture.fake.world.applicationId}/${ask.token}`).length).toBeGreaterThanOrEqual(1);
  });

  it("sends an image option to a vision model", async () => {
    answerWith("A blue square.");
    const png = await sharp({ create: { width: 32, height: 32, channels: 3, background: "blue" } }).png().toBuffer();
    const image = fixture.fake.registerAttachment({ filename: "blue.png", contentType: "image/png", bytes: new Uint8Array(png), width: 32, height: 32 });
    const ask = fixture.fake.runSlashCommand({ name: "ask", options: { prompt: "what colour?" }, attachments: { image } });
    await interactionTexts(ask, textIncludes("A blue square."));
    expect(sentToGroq(chatCalls(fixture.harness).at(-1)!)).toContain("data:image/");
  });

  it("shows the core's error reply only to the user who asked", async () => {
    await fixture.close();
    // Someone else is the only allowed user, so the core answers with an error.
    fixture = await startDiscordFixture({ env: { ALLOWED_USERS: "dc:1" } });
    const ask = fixture.fake.runSlashCommand({ name: "ask", options: { prompt: "may I?" } });
    const reply = await eventually(() => fixture.fake.visibleMessages(ask.channelId).find((message) => message.interactionToken === ask.token && message.ephemeral));
    expect(reply.content).toMatch(/not enabled for you/);
    expect(fixture.fake.visibleMessages(ask.channelId).filter((message) => message.interactionToken === ask.token)).toEqual([reply]);
  });

  it("answers a failure with an apology only the user sees, and keeps answering others", async () => {
    answerWith("This answer cannot be shown.");
    // Discord refuses every edit of an interaction's reply, retries included. Scheduled before
    // the command is dispatched, so that even a fast first edit meets it.
    fixture.fake.injectFailure({
      method: "PATCH",
      route: /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/,
      status: 500,
      body: { message: "Internal Server Error", code: 0 },
      times: 100,
    });
    const failing = fixture.fake.runSlashCommand({ name: "ask", options: { prompt: "first" } });
    const apology = await eventually(
      () => fixture.fake.visibleMessages(failing.channelId).find((message) => message.interactionToken === failing.token && message.ephemeral),
      15_000,
    );
    expect(apology.content).toMatch(/sorry/i);
    // The "thinking..." placeholder that never got text is gone.
    expect(fixture.fake.visibleMessages(failing.channelId).filter((message) => message.interactionToken === failing.token)).toEqual([apology]);
    expect(fixture.logs.some((line) => line.level === "error" && line.message.includes("command failed"))).toBe(true);

    fixture.fake.clearInjectedFailures();
    answerWith("Still here.");
    const next = fixture.fake.runSlashCommand({ name: "ask", options: { prompt: "second" } });
    await interactionTexts(next, (shown) => shown[0] === "Still here.");
  });
});

describe("chat commands", () => {
  it("/reset forgets the conversation: Groq no longer sees earlier turns", async () => {
    answerWith("Nice to meet you, Zed.");
    const first = fixture.fake.sendDirectMessage({ content: "my name is Zed" });
    await eventually(() => (fixture.fake.visibleMessages(first.channelId).some((message) => message.content === "Nice to meet you, Zed.") ? true : undefined));

    const reset = fixture.fake.runSlashCommand({ name: "reset", inDirectMessage: true });
    await interactionTexts(reset, textIncludes("I forgot this conversation"));

    answerWith("I do not know your name.");
    const after = fixture.fake.sendDirectMessage({ content: "what is my name?" });
    await eventually(() => (fixture.fake.visibleMessages(after.channelId).some((message) => message.content === "I do not know your name.") ? true : undefined));
    expect(sentToGroq(chatCalls(fixture.harness).at(-1)!)).not.toContain("Zed");
  });

  it("/model with a choice pins the model; without one it shows the pin and the choices", async () => {
    const pin = fixture.fake.runSlashCommand({ name: "model", options: { choice: "openai/gpt-oss-20b" }, inDirectMessage: true });
    await interactionTexts(pin, textIncludes("now uses the model openai/gpt-oss-20b"));

    answerWith("Answered by the pinned model.");
    const question = fixture.fake.sendDirectMessage({ content: "hello" });
    await eventually(() => (fixture.fake.visibleMessages(question.channelId).some((message) => message.content === "Answered by the pinned model.") ? true : undefined));
    expect(chatCalls(fixture.harness).at(-1)!.model).toBe("openai/gpt-oss-20b");

    const show = fixture.fake.runSlashCommand({ name: "model", inDirectMessage: true });
    const [text] = await interactionTexts(show, textIncludes("uses the model openai/gpt-oss-20b"));
    expect(text).toContain("`/model auto`");
    expect(text).toContain("`/model code`");
  });

  it("/model autocomplete answers from the live choices, at most 25", async () => {
    const typed = fixture.fake.runAutocomplete({ name: "model", optionName: "choice", typed: "gpt" });
    await fixture.fake.waitForCall("POST", `/interactions/${typed.id}/${typed.token}/callback`);
    const callback = fixture.fake.interaction(typed.token)!.callbacks[0]!;
    expect(callback.type).toBe(autocompleteResult);
    const choices = (callback.data as { choices: { name: string; value: string }[] }).choices;
    expect(choices.map((choice) => choice.value)).toContain("openai/gpt-oss-120b");
    expect(choices.every((choice) => `${choice.name} ${choice.value}`.includes("gpt"))).toBe(true);

    const everything = fixture.fake.runAutocomplete({ name: "model", optionName: "choice", typed: "" });
    await fixture.fake.waitForCall("POST", `/interactions/${everything.id}/${everything.token}/callback`);
    const all = (fixture.fake.interaction(everything.token)!.callbacks[0]!.data as { choices: unknown[] }).choices;
    expect(all.length).toBeGreaterThan(6);
    expect(all.length).toBeLessThanOrEqual(25);
  });

  it("/status lists the models and the user's usage", async () => {
    const status = fixture.fake.runSlashCommand({ name: "status" });
    const [text] = await interactionTexts(status, textIncludes("You today"));
    expect(text).toContain("openai/gpt-oss-120b");
  });

  it("/help says how to address Mami", async () => {
    const help = fixture.fake.runSlashCommand({ name: "help" });
    const [text] = await interactionTexts(help, textIncludes("/ask"));
    expect(text).toContain("mention me");
  });
});

describe("Ask Mami (message context menu)", () => {
  it("answers about the message it was used on: its text is the question", async () => {
    answerWith("Two plus two is four.");
    const target = fixture.fake.sendGuildMessage({ content: "what is two plus two?", author: fixture.fake.world.otherUser });
    const askMami = fixture.fake.runMessageContextMenu({ targetMessageId: target.id });
    const callback = await fixture.fake.waitForCall("POST", `/interactions/${askMami.id}/${askMami.token}/callback`);
    expect(callback.body).toMatchObject({ type: deferredChannelMessage });
    await interactionTexts(askMami, (shown) => shown[0] === "Two plus two is four.");
    expect(sentToGroq(chatCalls(fixture.harness).at(-1)!)).toContain("what is two plus two?");
  });

  it("brings the message's attachments along", async () => {
    answerWith("A green square.");
    const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: "green" } }).png().toBuffer();
    const image = fixture.fake.registerAttachment({ filename: "green.png", contentType: "image/png", bytes: new Uint8Array(png) });
    const target = fixture.fake.sendGuildMessage({ content: "", attachments: [image] });
    const askMami = fixture.fake.runMessageContextMenu({ targetMessageId: target.id });
    await interactionTexts(askMami, (shown) => shown[0] === "A green square.");
    expect(sentToGroq(chatCalls(fixture.harness).at(-1)!)).toContain("data:image/");
    expect(fixture.fake.visibleMessages(generalChannelId).some((message) => message.content === "A green square.")).toBe(true);
  });
});
