/**
 * The fake gateway's sharding, driven by real discord.js clients that each run one shard: guilds,
 * guild events and DMs reach only the sessions Discord would send them to.
 */
import { Client, Events, GatewayDispatchEvents, GatewayIntentBits, Partials } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually.js";
import { defaultWorld, guildOnShard, shardOfGuild, snowflakeOnShard, startFakeDiscord, type FakeDiscord, type FakeWorld } from "./fake-discord/index.js";

const token = "fake-bot-token";
const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.DirectMessages];
const guildOfShardZero = guildOnShard(0, 2);
const guildOfShardOne = guildOnShard(1, 2);
const world: FakeWorld = { ...defaultWorld, guilds: [guildOfShardZero, guildOfShardOne] };

let fake: FakeDiscord | undefined;
const clients: Client[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.destroy();
  await fake?.close();
  fake = undefined;
});

interface ConnectedClient {
  readonly client: Client;
  /** READY's `shard` field as the gateway sent it. */
  readonly readyShard: unknown;
  /** The text of every MESSAGE_CREATE the gateway sent this session, in order, whether discord.js kept it or not. */
  readonly messages: readonly string[];
}

async function connect(to: FakeDiscord, shards?: { ids: number[]; count: number }): Promise<ConnectedClient> {
  const client = new Client({ intents, partials: [Partials.Channel], rest: { api: to.apiBase }, ...(shards === undefined ? {} : { shards: shards.ids, shardCount: shards.count }) });
  clients.push(client);
  let readyShard: unknown;
  const messages: string[] = [];
  client.ws.on(GatewayDispatchEvents.Ready, (data: { shard?: unknown }) => (readyShard = data.shard));
  client.ws.on(GatewayDispatchEvents.MessageCreate, (data: { content: string }) => messages.push(data.content));
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(token);
  await ready;
  // READY came before the client turned ready.
  return { client, readyShard, messages };
}

function firstTextChannel(guild: { channels: readonly { id: string; type: number }[] }): string {
  return guild.channels.find((channel) => channel.type === 0)!.id;
}

describe("fake Discord gateway shards", () => {
  it("mints guild ids on the shard asked for, for any shard count", () => {
    for (const shardCount of [1, 2, 3, 16]) {
      for (let shardId = 0; shardId < shardCount; shardId += 1) expect(shardOfGuild(snowflakeOnShard(shardId, shardCount), shardCount)).toBe(shardId);
    }
    expect(() => snowflakeOnShard(2, 2)).toThrow(RangeError);
  });

  it("gives each shard's session its own guilds, READY echoing its shard; an unsharded session gets every guild", async () => {
    fake = await startFakeDiscord({ token, world });
    const zero = await connect(fake, { ids: [0], count: 2 });
    const one = await connect(fake, { ids: [1], count: 2 });
    const whole = await connect(fake);

    expect(fake.identifies.map((identify) => identify.shard)).toEqual([[0, 2], [1, 2], [0, 1]]);
    expect(fake.identifies.map((identify) => identify.guildIds)).toEqual([[guildOfShardZero.id], [guildOfShardOne.id], [guildOfShardZero.id, guildOfShardOne.id]]);
    expect([zero.readyShard, one.readyShard, whole.readyShard]).toEqual([[0, 2], [1, 2], [0, 1]]);
    expect([...zero.client.guilds.cache.keys()]).toEqual([guildOfShardZero.id]);
    expect([...one.client.guilds.cache.keys()]).toEqual([guildOfShardOne.id]);
    expect([...whole.client.guilds.cache.keys()].sort()).toEqual([guildOfShardZero.id, guildOfShardOne.id].sort());
  });

  it("dispatches a guild's messages to its shard's sessions only, and DMs to shard 0 only", async () => {
    fake = await startFakeDiscord({ token, world });
    const zero = await connect(fake, { ids: [0], count: 2 });
    const one = await connect(fake, { ids: [1], count: 2 });
    const whole = await connect(fake);

    fake.sendGuildMessage({ content: "in the guild of shard 1", channelId: firstTextChannel(guildOfShardOne) });
    fake.sendGuildMessage({ content: "in the guild of shard 0", channelId: firstTextChannel(guildOfShardZero) });
    fake.sendDirectMessage({ content: "a DM" });
    // Each session's last message: one socket delivers in order, so once it is there, every
    // message sent before it that this session was given is there too.
    fake.sendGuildMessage({ content: "last for shard 1", channelId: firstTextChannel(guildOfShardOne) });
    fake.sendGuildMessage({ content: "last for shard 0", channelId: firstTextChannel(guildOfShardZero) });
    await eventually(() => zero.messages.includes("last for shard 0") && one.messages.includes("last for shard 1") && whole.messages.includes("last for shard 0"), "each session's last message");

    expect(zero.messages).toEqual(["in the guild of shard 0", "a DM", "last for shard 0"]);
    expect(one.messages).toEqual(["in the guild of shard 1", "last for shard 1"]);
    expect(whole.messages).toEqual(["in the guild of shard 1", "in the guild of shard 0", "a DM", "last for shard 1", "last for shard 0"]);
  });

  it("closes with 4010 a session whose shard does not exist, as Discord does", async () => {
    fake = await startFakeDiscord({ token, world });
    const client = new Client({ intents, rest: { api: fake.apiBase }, shards: [2], shardCount: 2 });
    clients.push(client);
    await expect(client.login(token)).rejects.toThrow(/shard/i);
    expect(fake.identifies.at(-1)).toMatchObject({ shard: undefined, guildIds: [], rejected: true });
  });
});
