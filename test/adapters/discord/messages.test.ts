/**
 * Messages end to end: the real discord.js client against the fake Discord, the real core and
 * store against the fake Groq. What is asserted is what went over the wire on both sides.
 */
import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { freeTierModels } from "../../fakes/fake-groq/index.js";
import { chatCalls, eventually, printLogsIfFailed, sentToGroq, startDiscordFixture, waitForVisibleText, type DiscordFixture } from "./discord-fixture.js";
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
const threadId = "1320000000000000003";

function answerWith(text: string): void {
  fixture.harness.groq.setResponder(answerInParts(text));
}

describe("Discord messages", () => {
  it("answers a mention in a guild channel as a reply to it, after showing typing", async () => {
    answerWith("Hello from Mami.");
    const mention = fixture.fake.sendGuildMessage({ content: "hello there", mentionBot: true });
    const [reply] = await waitForVisibleText(fixture.fake, generalChannelId, "Hello from Mami.");
    expect(reply!.replyToMessageId).toBe(mention.id);
    const post = fixture.fake.findCalls("POST", `/channels/${generalChannelId}/messages`)[0]!;
    expect(post.body).toMatchObject({ message_reference: { message_id: mention.id }, allowed_mentions: { parse: [] } });
    expect(fixture.fake.findCalls("POST", `/channels/${generalChannelId}/typing`).length).toBeGreaterThan(0);
    // The mention itself is not part of the question.
    expect(sentToGroq(chatCalls(fixture.harness).at(-1)!)).toContain('"hello there"');
  });

  it("answers a mention of the bot's managed role too", async () => {
    answerWith("Role mention seen.");
    fixture.fake.sendGuildMessage({ content: "are you there?", mentionBot: "role" });
    await waitForVisibleText(fixture.fake, generalChannelId, "Role mention seen.");
  });

  it("ignores a guild message that neither mentions nor replies to it, and other bots' messages: no Discord call, no Groq call of their own", async () => {
    const groqCallsBefore = fixture.harness.groq.calls.length;
    const unaddressed = fixture.fake.sendGuildMessage({ content: "just chatting with friends" });
    const fromBot = fixture.fake.sendGuildMessage({ content: "bots talking", mentionBot: true, author: fixture.fake.world.otherBot });
    // The sentinel: one addressed message after them; once it is answered, the gateway has
    // delivered the two before it and the bot has passed them over.
    answerWith("Sentinel answered.");
    const sentinel = fixture.fake.sendGuildMessage({ content: "sentinel", mentionBot: true });
    await waitForVisibleText(fixture.fake, generalChannelId, "Sentinel answered.", (message) => message.replyToMessageId === sentinel.id);
    const mentionsOf = (id: string) => fixture.fake.calls.filter((call) => JSON.stringify(call.body ?? "").includes(id) || call.route.includes(id));
    expect(mentionsOf(unaddressed.id)).toEqual([]);
    expect(mentionsOf(fromBot.id)).toEqual([]);
    // Groq was asked about the sentinel only; the others reach it only as the channel's recent messages.
    const asked = fixture.harness.groq.calls.slice(groqCallsBefore).map((call) => (call.body as { messages: { content: string }[] }).messages.at(-1)?.content ?? "");
    expect(asked.length).toBeGreaterThan(0);
    for (const turn of asked) {
      expect(turn).toMatch(/\nsentinel$/);
      expect(turn).toContain("<recent_chat>\nAlice: just chatting with friends\notherbot [bot]: bots talking\n</recent_chat>");
    }
  });

  it("answers every DM without a mention", async () => {
    answerWith("A private answer.");
    const direct = fixture.fake.sendDirectMessage({ content: "hi in private" });
    const [reply] = await waitForVisibleText(fixture.fake, direct.channelId, "A private answer.");
    expect(reply!.replyToMessageId).toBe(direct.id);
  });

  it("answers a mention inside a thread, in that thread", async () => {
    answerWith("Thread answer.");
    const inThread = fixture.fake.sendThreadMessage({ content: "question in a thread", mentionBot: true });
    const [reply] = await waitForVisibleText(fixture.fake, threadId, "Thread answer.");
    expect(reply!.replyToMessageId).toBe(inThread.id);
  });

  it("continues the conversation when someone replies to the bot: Groq sees the earlier exchange", async () => {
    answerWith("Your favourite colour is noted: teal.");
    fixture.fake.sendGuildMessage({ content: "my favourite colour is teal", mentionBot: true });
    const [firstAnswer] = await waitForVisibleText(fixture.fake, generalChannelId, "Your favourite colour is noted: teal.");

    answerWith("It is teal.");
    fixture.fake.sendGuildMessage({ content: "what is my favourite colour?", replyTo: firstAnswer!.id });
    await eventually(() => (fixture.fake.visibleMessages(generalChannelId).some((message) => message.content === "It is teal.") ? true : undefined));
    const followUpCall = sentToGroq(chatCalls(fixture.harness).at(-1)!);
    expect(followUpCall).toContain("my favourite colour is teal");
    expect(followUpCall).toContain("Your favourite colour is noted: teal.");
    expect(followUpCall).toContain("what is my favourite colour?");
  });

  it("answers an image with a vision model, sending the image as a data URL", async () => {
    answerWith("A red square.");
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: "red" } }).png().toBuffer();
    const image = fixture.fake.registerAttachment({ filename: "square.png", contentType: "image/png", bytes: new Uint8Array(png), width: 64, height: 64 });
    fixture.fake.sendGuildMessage({ content: "what is this?", mentionBot: true, attachments: [image] });
    await waitForVisibleText(fixture.fake, generalChannelId, "A red square.");
    const call = chatCalls(fixture.harness).at(-1)!;
    const visionModels = freeTierModels.filter((model) => model.acceptsImages === true).map((model) => model.id);
    expect(visionModels).toContain(call.model);
    expect(sentToGroq(call)).toMatch(/"image_url":\{"url":"data:image\/(jpeg|png|webp);base64,/);
  });

  it("splits a long answer at 2000 characters without breaking code blocks, losing nothing", async () => {
    // Within the chat role's completion budget (1024 tokens, about 4000 characters on the fake), so nothing is cut.
    const codeLines = Array.from({ length: 40 }, (_, index) => `  const value${index} = compute(${index}); // step ${index} of the example`);
    const answer = [
      "Here is the whole program:",
      "",
      "```ts",
      ...codeLines,
      "```",
      "",
      ...Array.from({ length: 12 }, (_, index) => `Paragraph line ${index}: the explanation goes on and on.`),
    ].join("\n");
    expect(answer.length).toBeGreaterThan(2_500);
    answerWith(answer);
    fixture.fake.sendGuildMessage({ content: "write me a long program", mentionBot: true });

    const parts = await eventually(
      () => {
        const visible = fixture.fake.visibleMessages(generalChannelId).map((message) => message.content);
        const withoutFences = visible.join("\n").split("\n").filter((line) => !line.startsWith("```") && line !== "");
        const expected = answer.split("\n").filter((line) => !line.startsWith("```") && line !== "");
        return JSON.stringify(withoutFences) === JSON.stringify(expected) ? visible : undefined;
      },
      15_000,
      () => `the long answer; visible: ${JSON.stringify(fixture.fake.visibleMessages(generalChannelId).map((message) => message.content.length))}`,
    );
    expect(parts.length).toBeGreaterThanOrEqual(2);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(2_000);
      const fences = part.split("\n").filter((line) => line.startsWith("```")).length;
      expect(fences % 2).toBe(0);
    }
    // Nothing over the limit was ever attempted: no Discord form-body refusal.
    expect(fixture.fake.calls.filter((call) => call.status === 400)).toEqual([]);
  });

  it("streams by editing the reply at most about once a second", async () => {
    await fixture.close();
    const slowModels = freeTierModels.map((model) => ({ ...model, chunkDelayMs: 40 }));
    fixture = await startDiscordFixture({ models: slowModels });
    const answer = Array.from({ length: 12 }, (_, index) => `Sentence number ${index} of a slowly streamed answer.`).join(" ");
    answerWith(answer);
    fixture.fake.sendGuildMessage({ content: "tell me slowly", mentionBot: true });
    await waitForVisibleText(fixture.fake, generalChannelId, answer);
    const edits = fixture.fake.findCalls("PATCH", "/channels/:channelId/messages/:messageId");
    expect(edits.length).toBeGreaterThanOrEqual(2);
    const sends = fixture.fake.findCalls("POST", `/channels/${generalChannelId}/messages`);
    const updates = [sends[0]!, ...edits].map((call) => call.at);
    // The final edit may follow the last streaming update at once; every streaming one is a second apart.
    for (let index = 1; index < updates.length - 1; index += 1) {
      expect(updates[index]! - updates[index - 1]!).toBeGreaterThanOrEqual(950);
    }
  });

  it("lets discord.js wait out Discord's 429 and still lands the reply", async () => {
    answerWith("Worth the wait.");
    fixture.fake.injectRateLimit({ method: "POST", route: `/channels/${generalChannelId}/messages`, retryAfterSeconds: 0.5 });
    fixture.fake.sendGuildMessage({ content: "hello?", mentionBot: true });
    await waitForVisibleText(fixture.fake, generalChannelId, "Worth the wait.");
    expect(fixture.fake.findCalls("POST", `/channels/${generalChannelId}/messages`).map((call) => call.status)).toEqual([429, 200]);
  });
});
