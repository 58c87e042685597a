/**
 * The fake Discord itself, driven by the real discord.js Client and REST: if discord.js accepts
 * what the fake says and the fake records what discord.js sends, adapter tests can trust both.
 */
import { ChannelType, Client, DiscordAPIError, Events, GatewayIntentBits, Partials, REST, Routes, type Interaction, type Message } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from "./fake-discord/index.js";

const token = "fake-bot-token";
const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.DirectMessages];

let fake: FakeDiscord | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.destroy();
  await fake?.close();
  client = undefined;
  fake = undefined;
});

async function connect(options: FakeDiscordOptions = {}): Promise<{ fake: FakeDiscord; client: Client }> {
  fake = await startFakeDiscord({ token, ...options });
  client = new Client({ intents, partials: [Partials.Channel], rest: { api: fake.apiBase, cdn: fake.cdnBase } });
  const ready = new Promise<void>((resolve) => client!.once(Events.ClientReady, () => resolve()));
  await client.login(token);
  await ready;
  return { fake, client };
}

function nextEvent<Value>(target: Client, event: typeof Events.MessageCreate | typeof Events.InteractionCreate): Promise<Value> {
  return new Promise((resolve) => target.once(event, (value: unknown) => resolve(value as Value)));
}

const guildChannelId = "1320000000000000001";
const threadId = "1320000000000000003";

describe("fake Discord gateway", () => {
  it("logs a discord.js client in with its guild, channels, thread and the bot's role", async () => {
    const { fake, client } = await connect();
    expect(fake.calls.map((call) => `${call.method} ${call.route}`)).toEqual(["GET /gateway/bot"]);
    expect(client.user?.id).toBe(fake.world.bot.id);
    expect(client.application?.id).toBe(fake.world.applicationId);
    const guild = client.guilds.cache.first()!;
    expect(guild.channels.cache.get(guildChannelId)?.type).toBe(ChannelType.GuildText);
    expect(guild.channels.cache.get(threadId)?.isThread()).toBe(true);
    expect(guild.roles.botRoleFor(fake.world.bot.id)?.tags?.botId).toBe(fake.world.bot.id);
  });

  it("delivers guild, thread and direct messages with mentions, replies and attachments", async () => {
    const { fake, client } = await connect();
    const attachment = fake.registerAttachment({ filename: "cat.png", contentType: "image/png", bytes: new Uint8Array([1, 2, 3]), width: 4, height: 3 });

    const guildMessage = nextEvent<Message>(client, Events.MessageCreate);
    fake.sendGuildMessage({ content: "hello", mentionBot: true, attachments: [attachment] });
    const received = await guildMessage;
    expect(received.content).toBe(`<@${fake.world.bot.id}> hello`);
    expect(received.mentions.users.has(fake.world.bot.id)).toBe(true);
    expect(received.member?.displayName).toBe("Alice");
    expect(received.attachments.first()?.contentType).toBe("image/png");
    const download = await fetch(received.attachments.first()!.url);
    expect([...new Uint8Array(await download.arrayBuffer())]).toEqual([1, 2, 3]);

    const reply = await received.reply({ content: "hi there" });
    const replyToBot = nextEvent<Message>(client, Events.MessageCreate);
    fake.sendGuildMessage({ content: "and more", replyTo: reply.id });
    const continued = await replyToBot;
    expect(continued.reference?.messageId).toBe(reply.id);
    expect(continued.mentions.repliedUser?.id).toBe(fake.world.bot.id);

    const threadMessage = nextEvent<Message>(client, Events.MessageCreate);
    fake.sendThreadMessage({ content: "in a thread", mentionBot: "role" });
    const inThread = await threadMessage;
    expect(inThread.channel.isThread()).toBe(true);
    expect(inThread.mentions.roles.first()?.tags?.botId).toBe(fake.world.bot.id);

    const directMessage = nextEvent<Message>(client, Events.MessageCreate);
    fake.sendDirectMessage({ content: "psst" });
    const direct = await directMessage;
    expect(direct.channel.type).toBe(ChannelType.DM);
    expect(direct.inGuild()).toBe(false);
  });

  it("closes with 4014 when the MessageContent intent is not allowed, and accepts a login without it", async () => {
    fake = await startFakeDiscord({ token, rejectMessageContentIntent: true });
    client = new Client({ intents, rest: { api: fake.apiBase } });
    await expect(client.login(token)).rejects.toThrow(/disallowed intents/i);
    await client.destroy();
    expect(fake.identifies.at(-1)?.rejected).toBe(true);

    client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages], rest: { api: fake.apiBase } });
    const ready = new Promise<void>((resolve) => client!.once(Events.ClientReady, () => resolve()));
    await client.login(token);
    await ready;
    expect(fake.identifies.at(-1)?.rejected).toBe(false);

    // Without the intent, Discord blanks guild messages that do not mention the bot.
    let arrived = nextEvent<Message>(client, Events.MessageCreate);
    fake.sendGuildMessage({ content: "not for the bot" });
    expect((await arrived).content).toBe("");
    arrived = nextEvent<Message>(client, Events.MessageCreate);
    fake.sendGuildMessage({ content: "for the bot", mentionBot: true });
    expect((await arrived).content).toContain("for the bot");
  });
});

describe("fake Discord REST", () => {
  it("records replies, typing and edits, and shows the edited text", async () => {
    const { fake, client } = await connect();
    const arrived = nextEvent<Message>(client, Events.MessageCreate);
    fake.sendGuildMessage({ content: "question", mentionBot: true });
    const message = await arrived;
    if (!message.channel.isSendable()) throw new Error("not sendable");
    await message.channel.sendTyping();
    const reply = await message.reply({ content: "first", allowedMentions: { parse: [] } });
    await reply.edit({ content: "first, edited" });
    await message.channel.send({ content: "second" });

    expect((await fake.waitForCall("POST", "/channels/:id/typing")).status).toBe(204);
    const post = await fake.waitForCall("POST", `/channels/${guildChannelId}/messages`);
    expect(post.body).toMatchObject({ content: "first", message_reference: { message_id: message.id }, allowed_mentions: { parse: [] } });
    expect(fake.visibleMessages(guildChannelId).map((visible) => visible.content)).toEqual(["first, edited", "second"]);
    expect(fake.visibleMessages(guildChannelId)[0]?.replyToMessageId).toBe(message.id);
  });

  it("refuses a message over 2000 characters with Discord's error JSON", async () => {
    const { client } = await connect();
    const channel = client.channels.cache.get(guildChannelId);
    if (channel?.isSendable() !== true) throw new Error("not sendable");
    const error = await channel.send({ content: "x".repeat(2001) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(50035);
    expect((error as DiscordAPIError).rawError).toMatchObject({ message: "Invalid Form Body", errors: { content: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH" }] } } });
  });

  it("answers an injected 429 with retry_after, and discord.js waits and retries", async () => {
    const { fake, client } = await connect();
    fake.injectRateLimit({ method: "POST", route: "/channels/:id/messages", retryAfterSeconds: 0.3 });
    const channel = client.channels.cache.get(guildChannelId);
    if (channel?.isSendable() !== true) throw new Error("not sendable");
    await channel.send({ content: "after the limit" });
    const posts = fake.findCalls("POST", "/channels/:id/messages");
    expect(posts.map((call) => call.status)).toEqual([429, 200]);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(290);
  });

  it("parses multipart uploads", async () => {
    const { fake, client } = await connect();
    const channel = client.channels.cache.get(guildChannelId);
    if (channel?.isSendable() !== true) throw new Error("not sendable");
    await channel.send({ content: "a file", files: [{ attachment: Buffer.from("hello"), name: "hello.txt" }] });
    const post = await fake.waitForCall("POST", "/channels/:id/messages");
    expect(post.body).toMatchObject({ content: "a file" });
    expect(post.files).toEqual([expect.objectContaining({ filename: "hello.txt", size: 5 })]);
  });

  it("registers commands globally and per guild, and tells who the application is", async () => {
    fake = await startFakeDiscord({ token });
    const rest = new REST({ api: fake.apiBase }).setToken(token);
    const application = (await rest.get(Routes.currentApplication())) as { id: string };
    expect(application.id).toBe(fake.world.applicationId);
    await rest.put(Routes.applicationCommands(application.id), { body: [{ name: "help", description: "help", type: 1 }] });
    await rest.put(Routes.applicationGuildCommands(application.id, "1310000000000000001"), { body: [{ name: "ask", description: "ask", type: 1 }] });
    expect(fake.commandRegistrations.map((registration) => [registration.scope, registration.commands[0]?.["name"]])).toEqual([
      ["global", "help"],
      ["guild", "ask"],
    ]);
    const unauthorized = await new REST({ api: fake.apiBase }).setToken("wrong").get(Routes.currentApplication()).catch((caught: unknown) => caught);
    expect((unauthorized as { status?: number }).status).toBe(401);
  });
});

describe("fake Discord interactions", () => {
  it("records deferReply, editReply on @original and follow-ups as visible messages", async () => {
    const { fake, client } = await connect();
    const arrived = nextEvent<Interaction>(client, Events.InteractionCreate);
    const dispatched = fake.runSlashCommand({ name: "ask", options: { prompt: "why?" } });
    const interaction = await arrived;
    if (!interaction.isChatInputCommand()) throw new Error("not a chat input command");
    expect(interaction.options.getString("prompt")).toBe("why?");
    await interaction.deferReply();
    expect(fake.visibleMessages(guildChannelId)).toEqual([expect.objectContaining({ pending: true, content: "" })]);
    await interaction.editReply({ content: "because" });
    await interaction.followUp({ content: "and also" });

    const record = fake.interaction(dispatched.token)!;
    expect(record.callbacks.map((callback) => callback.type)).toEqual([5]);
    expect(record.callbacks[0]!.at).toBeGreaterThan(dispatched.dispatchedAt);
    await fake.waitForCall("PATCH", `/webhooks/${fake.world.applicationId}/${dispatched.token}/messages/@original`);
    expect(fake.visibleMessages(guildChannelId).map((visible) => [visible.content, visible.pending])).toEqual([
      ["because", false],
      ["and also", false],
    ]);
    const second = await interaction.deferReply().catch((caught: unknown) => caught);
    expect(second).toBeInstanceOf(Error);
  });

  it("sends attachment options, autocomplete and message context-menu commands with resolved data", async () => {
    const { fake, client } = await connect();
    const image = fake.registerAttachment({ filename: "cat.jpg", contentType: "image/jpeg", bytes: new Uint8Array([9]) });
    let arrived = nextEvent<Interaction>(client, Events.InteractionCreate);
    fake.runSlashCommand({ name: "ask", options: { prompt: "what is it?" }, attachments: { image }, inDirectMessage: true });
    const slash = await arrived;
    if (!slash.isChatInputCommand()) throw new Error("not a chat input command");
    expect(slash.options.getAttachment("image")?.url).toBe(image.url);
    expect(slash.inGuild()).toBe(false);

    arrived = nextEvent<Interaction>(client, Events.InteractionCreate);
    const dispatched = fake.runAutocomplete({ name: "model", optionName: "choice", typed: "co" });
    const autocomplete = await arrived;
    if (!autocomplete.isAutocomplete()) throw new Error("not autocomplete");
    expect(autocomplete.options.getFocused(true)).toMatchObject({ name: "choice", value: "co" });
    await autocomplete.respond([{ name: "role: code", value: "code" }]);
    expect(fake.interaction(dispatched.token)?.callbacks[0]).toMatchObject({ type: 8, data: { choices: [{ name: "role: code", value: "code" }] } });

    const target = fake.sendGuildMessage({ content: "look at this", attachments: [image] });
    arrived = nextEvent<Interaction>(client, Events.InteractionCreate);
    fake.runMessageContextMenu({ targetMessageId: target.id });
    const contextMenu = await arrived;
    if (!contextMenu.isMessageContextMenuCommand()) throw new Error("not a message context menu");
    expect(contextMenu.commandName).toBe("Ask Mami");
    expect(contextMenu.targetMessage.content).toBe("look at this");
    expect(contextMenu.targetMessage.attachments.first()?.name).toBe("cat.jpg");
  });

  it("forgets an interaction that is acknowledged too late", async () => {
    const { fake, client } = await connect({ acknowledgeDeadlineMs: 50 });
    const arrived = nextEvent<Interaction>(client, Events.InteractionCreate);
    fake.runSlashCommand({ name: "help" });
    const interaction = await arrived;
    if (!interaction.isChatInputCommand()) throw new Error("not a chat input command");
    await new Promise((resolve) => setTimeout(resolve, 80));
    const error = await interaction.deferReply().catch((caught: unknown) => caught);
    expect((error as DiscordAPIError).code).toBe(10062);
  });
});
