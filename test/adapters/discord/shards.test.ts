/**
 * Discord sharding end to end: shard 0 and shard 1 of 2, each a Mami built from its own
 * environment as `mami start` builds one (DISCORD_SHARD_COUNT=2, DISCORD_SHARD_IDS=0 or 1,
 * STORE_URL=redis://...), both in this test process but sharing nothing except a real
 * redis-server, as two processes would. The real discord.js of each talks to one fake Discord
 * that splits guilds and events over shards as Discord does, with a guild on each shard; one fake
 * Groq answers for both.
 */
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { prefixedId } from "../../../src/core/request.js";
import { usageReport } from "../../../src/core/conversation/usage-report.js";
import { defaultWorld, guildOnShard, startFakeDiscord, type DispatchedMessage, type FakeDiscord, type FakeGuild, type FakeUser } from "../../fakes/fake-discord/index.js";
import { freeTierModels, startFakeGroq, type FakeGroq } from "../../fakes/fake-groq/index.js";
import { describeWhenRedisIs } from "../../support/redis-available.js";
import { isRedisServerInstalled, startRedisServer, type RunningRedisServer } from "../../support/redis-server.js";
import { eventually } from "../../support/eventually.js";
import { botToken, waitForVisibleText } from "./discord-fixture.js";
import { startDiscordShard, type DiscordShard } from "./discord-shard.js";

const groqKey = "gsk_test_key";
const guildOfShardZero = guildOnShard(0, 2, "Guild of shard 0");
const guildOfShardOne = guildOnShard(1, 2, "Guild of shard 1");

function textChannelOf(guild: FakeGuild): string {
  const channel = guild.channels.find((candidate) => candidate.type === 0);
  if (channel === undefined) throw new Error(`${guild.name} has no text channel.`);
  return channel.id;
}

let redis: RunningRedisServer | undefined;
let groq: FakeGroq;
let fake: FakeDiscord;
/** Index = shard id. */
const shards: DiscordShard[] = [];

function shard(shardId: 0 | 1): DiscordShard {
  const running = shards[shardId];
  if (running === undefined) throw new Error(`Shard ${shardId} did not start.`);
  return running;
}

/** The texts of the final replies each shard's core produced since `counts` was taken. */
function repliedSince(counts: readonly number[]): string[][] {
  return shards.map((running, shardId) => running.finals.slice(counts[shardId]).map((reply) => reply.text));
}

function finalCounts(): number[] {
  return shards.map((running) => running.finals.length);
}

/** Sends a message and waits until its channel shows the one bot reply to it, with `answer`. */
async function exchange(answer: string, send: () => DispatchedMessage): Promise<DispatchedMessage> {
  groq.setResponder(() => answer);
  const sent = send();
  await waitForVisibleText(fake, sent.channelId, answer, (message) => message.replyToMessageId === sent.id);
  return sent;
}

function repliesTo(sent: DispatchedMessage): number {
  return fake.visibleMessages(sent.channelId).filter((message) => message.replyToMessageId === sent.id).length;
}

function mentionIn(guild: FakeGuild, content: string, author?: FakeUser): () => DispatchedMessage {
  return () => fake.sendGuildMessage({ content, mentionBot: true, channelId: textChannelOf(guild), ...(author === undefined ? {} : { author }) });
}

describeWhenRedisIs(isRedisServerInstalled(), "Discord shards as two Mami processes sharing Redis", () => {
  beforeAll(async () => {
    redis = await startRedisServer();
    groq = await startFakeGroq({ models: freeTierModels, apiKey: groqKey });
    fake = await startFakeDiscord({ token: botToken, world: { ...defaultWorld, guilds: [guildOfShardZero, guildOfShardOne] } });
    const environment = {
      GROQ_API_KEY: groqKey,
      GROQ_BASE_URL: groq.url,
      DISCORD_BOT_TOKEN: botToken,
      DISCORD_API_BASE: fake.apiBase,
      DISCORD_SHARD_COUNT: "2",
      STORE_URL: redis.url,
      ROUTER_MODE: "heuristic",
      SAFETY: "off",
      REPLY_FOOTER: "off",
    };
    // One after the other, so that the fake's n-th IDENTIFY is known to come from shard n's instance.
    for (const shardId of ["0", "1"]) shards.push(await startDiscordShard({ ...environment, DISCORD_SHARD_IDS: shardId }));
  });

  afterAll(async () => {
    for (const running of shards.splice(0)) await running.close();
    await fake?.close();
    await groq?.close();
    await redis?.stop();
  });

  afterEach((context) => {
    if (context.task.result?.state !== "fail") return;
    for (const [shardId, running] of shards.entries()) {
      const lines = running.logs.filter((line) => line.level !== "debug");
      console.log(`shard ${shardId}:\n${lines.map((line) => `${line.level} ${line.message} ${JSON.stringify(line.fields)}`).join("\n")}`);
    }
  });

  it("identifies each instance with its own shard, which gets its own guild only", () => {
    expect(fake.identifies.map(({ shard: identified, guildIds, rejected }) => ({ identified, guildIds, rejected }))).toEqual([
      { identified: [0, 2], guildIds: [guildOfShardZero.id], rejected: false },
      { identified: [1, 2], guildIds: [guildOfShardOne.id], rejected: false },
    ]);
    for (const shardId of [0, 1] as const) {
      expect(shard(shardId).logs.find((line) => line.message === "Discord bot ready")?.fields["shards"]).toEqual([shardId]);
      expect(shard(shardId).adapter.isConnected()).toBe(true);
    }
  });

  it("answers a mention in each shard's guild once, from the instance running that shard", async () => {
    const before = finalCounts();
    const inShardZero = await exchange("Answered in the guild of shard 0.", mentionIn(guildOfShardZero, "who answers here?"));
    const inShardOne = await exchange("Answered in the guild of shard 1.", mentionIn(guildOfShardOne, "and who answers here?"));

    expect(repliedSince(before)).toEqual([["Answered in the guild of shard 0."], ["Answered in the guild of shard 1."]]);
    expect([repliesTo(inShardZero), repliesTo(inShardOne)]).toEqual([1, 1]);
  });

  it("answers a DM once, from shard 0", async () => {
    const before = finalCounts();
    const direct = await exchange("Answered in private.", () => fake.sendDirectMessage({ content: "a question in private" }));
    // Shard 1's gateway delivers in order: had it been given the DM, it would have had it before
    // this mention, and been answering it alongside.
    await exchange("Shard 1 is still here.", mentionIn(guildOfShardOne, "still there?"));

    expect(repliedSince(before)).toEqual([["Answered in private."], ["Shard 1 is still here."]]);
    expect(repliesTo(direct)).toBe(1);
  });

  it("shares the store through Redis: /usage on shard 1 counts the request shard 0 answered for the same person", async () => {
    const bob = fake.world.otherUser;
    const before = finalCounts();
    await exchange("Answered for Bob on shard 0.", mentionIn(guildOfShardZero, "a question from Bob", bob));
    // The request is charged to Bob's day just after its answer is shown: wait for the charge.
    await eventually(async () => (await usageReport(shard(1).runtime.store, prefixedId("discord", bob.id), Date.now(), 0)).requests === 1, "Bob's request charged");

    const usage = fake.runSlashCommand({ name: "usage", user: bob, channelId: textChannelOf(guildOfShardOne) });
    const shown = await eventually(
      () => fake.visibleMessages(usage.channelId).find((message) => message.interactionToken === usage.token && !message.pending),
      () => `the /usage answer; visible: ${JSON.stringify(fake.visibleMessages(usage.channelId))}`,
    );
    expect(shown.content).toContain("**Your usage today:** 1 request,");
    const [onShardZero, onShardOne] = repliedSince(before);
    expect(onShardZero).toEqual(["Answered for Bob on shard 0."]);
    expect(onShardOne).toHaveLength(1);
    expect(onShardOne?.[0]).toContain("1 request,");
  });
});
