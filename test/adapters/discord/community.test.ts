/**
 * The community features through the real discord.js client and the fake Discord: what a mention
 * in a guild channel sees of the channel, a second mention that continues the first, personas
 * set only by members who may manage the server or the channel, /usage and /stats.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DispatchedInteraction } from "../../fakes/fake-discord/index.js";
import { answerInParts } from "../../support/answer-in-parts.js";
import { chatCalls, eventually, printLogsIfFailed, sentToGroq, startDiscordFixture, waitForVisibleText, type DiscordFixture } from "./discord-fixture.js";

let fixture: DiscordFixture;

beforeEach(async () => {
  fixture = await startDiscordFixture({ env: { ADMIN_USERS: "dc:1330000000000000002" } });
});

afterEach(async (context) => {
  printLogsIfFailed(context, fixture);
  await fixture.close();
});

const generalChannelId = "1320000000000000001";
const randomChannelId = "1320000000000000002";
/** Manage Messages only: a moderator of messages, not of the server or the channel. */
const noManagePermissions = String(1n << 13n);

function answerWith(text: string): void {
  fixture.harness.groq.setResponder(answerInParts(text));
}

/** The messages sent to Groq for the answer whose user turn contains `text`. */
function sentFor(text: string): { role: string; content: string }[] {
  const call = chatCalls(fixture.harness).find((candidate) => sentToGroq(candidate).includes(text));
  if (call === undefined) throw new Error(`No Groq call carried "${text}".`);
  return (call.body as { messages: { role: string; content: string }[] }).messages;
}

function interactionText(dispatched: DispatchedInteraction): Promise<string> {
  return eventually(
    () => fixture.fake.visibleMessages(dispatched.channelId).find((message) => message.interactionToken === dispatched.token && !message.pending)?.content,
    10_000,
    () => `the reply to /${dispatched.id}`,
  );
}

describe("Discord: group context, personas, /usage and /stats", () => {
  it("shows a mention the channel's recent messages with their authors: 'what did Bob say about the deadline?'", async () => {
    const { fake } = fixture;
    fake.sendGuildMessage({ content: "The deadline is Friday at noon.", author: fake.world.otherUser });
    fake.sendGuildMessage({ content: "ok, noted" });
    answerWith("Bob said the deadline is Friday at noon.");
    const mention = fake.sendGuildMessage({ content: "what did Bob say about the deadline?", mentionBot: true });
    await waitForVisibleText(fake, generalChannelId, "Bob said the deadline is Friday at noon.", (message) => message.replyToMessageId === mention.id);
    const turn = sentFor("what did Bob say about the deadline?").at(-1)!.content;
    expect(turn).toContain("<recent_chat>\nBob: The deadline is Friday at noon.\nAlice: ok, noted\n</recent_chat>\nThe message to answer follows, from Alice.\n\nwhat did Bob say about the deadline?");
    // Still only the mention was answered.
    expect(fake.visibleMessages(generalChannelId)).toHaveLength(1);
  });

  it("sees the first mention when the same member mentions the bot again, without replying", async () => {
    const { fake } = fixture;
    answerWith("Noted: the code word is heron.");
    const first = fake.sendGuildMessage({ content: "remember the code word heron", mentionBot: true });
    await waitForVisibleText(fake, generalChannelId, "Noted: the code word is heron.", (message) => message.replyToMessageId === first.id);
    answerWith("It was heron.");
    const second = fake.sendGuildMessage({ content: "what was the code word?", mentionBot: true });
    await waitForVisibleText(fake, generalChannelId, "It was heron.", (message) => message.replyToMessageId === second.id);
    const sent = sentFor("what was the code word?");
    expect(sent.map((message) => message.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(sent[1]?.content).toBe("remember the code word heron");
    expect(sent[2]?.content).toBe("Noted: the code word is heron.");
  });

  it("reads the channel's history once when it has no record of the channel, as after a restart", async () => {
    const { fake } = fixture;
    fake.sendGuildMessage({ channelId: randomChannelId, content: "We ship on Monday.", author: fake.world.otherUser, whileBotAway: true });
    answerWith("Bob said you ship on Monday.");
    const mention = fake.sendGuildMessage({ channelId: randomChannelId, content: "when do we ship?", mentionBot: true });
    await waitForVisibleText(fake, randomChannelId, "Bob said you ship on Monday.", (message) => message.replyToMessageId === mention.id);
    const fetched = fake.findCalls("GET", `/channels/${randomChannelId}/messages`);
    expect(fetched).toHaveLength(1);
    expect(fetched[0]!.query.get("before")).toBe(mention.id);
    expect(sentFor("when do we ship?").at(-1)!.content).toContain("Bob: We ship on Monday.");

    // The channel has a record now: the next mention reads no history.
    answerWith("Still Monday.");
    const again = fake.sendGuildMessage({ channelId: randomChannelId, content: "and the release notes?", mentionBot: true, author: fake.world.otherUser });
    await eventually(() => fake.visibleMessages(randomChannelId).find((message) => message.replyToMessageId === again.id && message.content === "Still Monday."));
    expect(fake.findCalls("GET", `/channels/${randomChannelId}/messages`)).toHaveLength(1);
  });

  it("refuses /persona to a member without Manage Server or Manage Channel, and applies a manager's persona to the next answer", async () => {
    const { fake } = fixture;
    const refused = fake.runSlashCommand({ name: "persona", options: { text: "You are a grumpy pirate." }, permissions: noManagePermissions });
    expect(await interactionText(refused)).toBe("Only this chat's admins can change its persona.");

    const applied = fake.runSlashCommand({ name: "persona", options: { text: "You are Captain Byte, a cheerful pirate." } });
    expect(await interactionText(applied)).toMatch(/^Done: I'll answer in this chat with that persona/);
    answerWith("Arr, RAM be memory.");
    const mention = fake.sendGuildMessage({ content: "what is RAM?", mentionBot: true });
    await waitForVisibleText(fake, generalChannelId, "Arr, RAM be memory.", (message) => message.replyToMessageId === mention.id);
    const system = sentFor("what is RAM?")[0]!.content;
    expect(system).toContain("You are Captain Byte, a cheerful pirate.");
    expect(system).not.toContain("grumpy");

    const shown = fake.runSlashCommand({ name: "persona", permissions: noManagePermissions });
    expect(await interactionText(shown)).toContain("You are Captain Byte, a cheerful pirate.");
  });

  it("/usage shows the member's own figures; /stats only an ADMIN_USERS member's", async () => {
    const { fake } = fixture;
    answerWith("Hi Alice.");
    const mention = fake.sendGuildMessage({ content: "hello!", mentionBot: true });
    await waitForVisibleText(fake, generalChannelId, "Hi Alice.", (message) => message.replyToMessageId === mention.id);
    const call = chatCalls(fixture.harness).find((candidate) => sentToGroq(candidate).includes("hello!"))!;
    const tokens = (call.tokens?.prompt ?? 0) + (call.tokens?.completion ?? 0);

    const usage = fake.runSlashCommand({ name: "usage" });
    expect(await interactionText(usage)).toContain(`**Your usage today:** 1 request, ${tokens.toLocaleString("en-US")} tokens.`);
    const refused = fake.runSlashCommand({ name: "stats" });
    expect(await interactionText(refused)).toMatch(/^Only the bot's operators \(ADMIN_USERS\)/);
    const stats = fake.runSlashCommand({ name: "stats", user: fake.world.otherUser });
    const text = await interactionText(stats);
    expect(text).toContain("1 answered.");
    expect(text).toContain(`1. Alice (dc:${fake.world.user.id}): ${tokens.toLocaleString("en-US")} tokens, 1 answer`);
  });
});
