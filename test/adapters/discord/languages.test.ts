/**
 * Mami's own words in the user's language on Discord: an interaction's locale (the user's
 * client), else the guild's preferred locale; a plain message has only the guild's, and a DM
 * none, so English.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultWorld, type DispatchedInteraction, type FakeWorld } from "../../fakes/fake-discord/index.js";
import { busyReplies, helpHeadings, spendEveryModelsDay } from "../../support/spend-every-model.js";
import { eventually, startDiscordFixture, waitForVisibleText, type DiscordFixture } from "./discord-fixture.js";

const generalChannelId = "1320000000000000001";

/** The interaction's reply once it is shown. */
function replyTo(fixture: DiscordFixture, dispatched: DispatchedInteraction): Promise<string> {
  return eventually(
    () => fixture.fake.visibleMessages(dispatched.channelId).find((message) => message.interactionToken === dispatched.token && !message.pending && message.content !== "")?.content,
    10_000,
    () => `the reply to interaction ${dispatched.id}`,
  );
}

describe("Discord slash commands in the user's language", () => {
  let fixture: DiscordFixture;

  beforeAll(async () => {
    fixture = await startDiscordFixture();
  });

  afterAll(async () => {
    await fixture.close();
  });

  it.each([
    { language: "tr", locale: "tr" },
    { language: "es", locale: "es-ES" },
    { language: "de", locale: "de" },
  ] as const)("answers /help in the language of the user's client ($locale)", async ({ language, locale }) => {
    const help = await replyTo(fixture, fixture.fake.runSlashCommand({ name: "help", locale }));
    expect(help).toContain(helpHeadings[language]);
    expect(help).not.toContain(helpHeadings.en);
  });

  it("answers /help in English to a locale Mami does not speak, in a guild or a DM", async () => {
    expect(await replyTo(fixture, fixture.fake.runSlashCommand({ name: "help", locale: "pt-BR" }))).toContain(helpHeadings.en);
    expect(await replyTo(fixture, fixture.fake.runSlashCommand({ name: "help", locale: "ja", inDirectMessage: true }))).toContain(helpHeadings.en);
  });
});

describe("Discord's busy message in the user's language", () => {
  let fixture: DiscordFixture;
  // A guild whose preferred locale is Turkish: what plain messages there are answered in.
  const world: FakeWorld = { ...defaultWorld, guilds: defaultWorld.guilds.map((guild) => ({ ...guild, preferredLocale: "tr" })) };

  beforeAll(async () => {
    fixture = await startDiscordFixture({ fake: { world } });
    spendEveryModelsDay(fixture.harness.groq);
  });

  afterAll(async () => {
    await fixture.close();
  });

  it.each([
    { language: "tr", locale: "tr" },
    { language: "de", locale: "de" },
    { language: "es", locale: "es-ES" },
    { language: "en", locale: "en-US" },
  ] as const)("tells a $locale user of /ask every model is out of quota and when to retry, in their client's language", async ({ language, locale }) => {
    expect(await replyTo(fixture, fixture.fake.runSlashCommand({ name: "ask", options: { prompt: "hello there, how are you?" }, locale }))).toBe(busyReplies[language]);
  });

  it("answers a mention in the guild's preferred language, and a DM, which has no locale, in English", async () => {
    const mention = fixture.fake.sendGuildMessage({ content: "hello there, are you around?", mentionBot: true });
    const [inGuild] = await waitForVisibleText(fixture.fake, generalChannelId, busyReplies.tr, (message) => message.replyToMessageId === mention.id);
    expect(inGuild?.content).toBe(busyReplies.tr);
    const direct = fixture.fake.sendDirectMessage({ content: "hello in private" });
    const [inPrivate] = await waitForVisibleText(fixture.fake, direct.channelId, busyReplies.en);
    expect(inPrivate?.content).toBe(busyReplies.en);
  });
});
