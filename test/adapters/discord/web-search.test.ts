/**
 * Web search on Discord, end to end: the real discord.js client against the fake Discord, the
 * real core against the fake Groq's compound systems. Discord renders the markdown a bot sends,
 * so a source shows as a link when the message carries `[title](<address>)` (the angle brackets
 * keep Discord from adding a preview card for each).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventually, printLogsIfFailed, startDiscordFixture, type DiscordFixture } from "./discord-fixture.js";

const generalChannelId = "1320000000000000001";
const newsAnswer = "The latest reports say the board met this morning.";

let fixture: DiscordFixture;

beforeEach(async () => {
  fixture = await startDiscordFixture();
  fixture.harness.groq.setResponder((call) => (call.model.startsWith("groq/compound") ? newsAnswer : `Answer from ${call.model}.`));
});

afterEach(async (context) => {
  printLogsIfFailed(context, fixture);
  await fixture.close();
});

/** The sources line a question's answer ends with: the fake search's three pages for it. */
function sourcesLine(question: string): string {
  const slug = question.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "");
  return (
    `**Sources:** [${question}: live updates](<https://news.example.com/live/${slug}>)` +
    ` · [What we know about ${question}](<https://wire.example.org/${slug}>)` +
    ` · [${question} explained](<https://news.example.com/explainers/${slug}>)`
  );
}

function finalContentIn(channelId: string, replyTo: string | undefined): Promise<string> {
  return eventually(
    () => fixture.fake.visibleMessages(channelId).find((message) => (replyTo === undefined || message.replyToMessageId === replyTo) && message.content.includes("**Sources:**"))?.content,
    10_000,
    () => `an answer with sources in ${channelId}; visible: ${JSON.stringify(fixture.fake.visibleMessages(channelId).map((message) => message.content))}`,
  );
}

describe("Discord: a question that needs current information", () => {
  it("is answered by a search system with its sources as links, in English (a mention) and in Turkish (a DM)", async () => {
    const english = "latest news about the OpenAI board";
    const mention = fixture.fake.sendGuildMessage({ content: english, mentionBot: true });
    expect(await finalContentIn(generalChannelId, mention.id)).toBe(`${newsAnswer}\n\n${sourcesLine(english)}`);

    const turkish = "son dakika deprem haberleri";
    const direct = fixture.fake.sendDirectMessage({ content: turkish });
    expect(await finalContentIn(direct.channelId, direct.id)).toBe(`${newsAnswer}\n\n${sourcesLine(turkish)}`);

    const searches = fixture.harness.groq.chatCallsTo("groq/compound-mini").filter((call) => call.status === 200);
    expect(searches).toHaveLength(2);
  });

  it("looks up what the /search slash command asks for", async () => {
    const search = fixture.fake.runSlashCommand({ name: "search", options: { query: "what is a monad?" } });
    expect(await finalContentIn(search.channelId, undefined)).toBe(`${newsAnswer}\n\n${sourcesLine("what is a monad?")}`);
  });
});
