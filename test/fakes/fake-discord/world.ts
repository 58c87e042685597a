/**
 * The people and places the fake knows: the bot, a guild with a text channel and a thread, and
 * users who write. Tests use the default world unless they pass their own guilds.
 */
import { nextSnowflake, snowflakeOnShard } from "./snowflakes.js";

export interface FakeUser {
  readonly id: string;
  readonly username: string;
  readonly globalName?: string;
  readonly bot?: boolean;
}

export interface FakeChannel {
  readonly id: string;
  readonly name: string;
  /** 0 guild text, 11 public thread. */
  readonly type: 0 | 11;
  /** For a thread: the text channel it belongs to. */
  readonly parentId?: string;
}

export interface FakeGuild {
  readonly id: string;
  readonly name: string;
  readonly channels: readonly FakeChannel[];
  /** The managed role Discord creates for an invited bot; mentioning it addresses the bot too. */
  readonly botRoleId: string;
  /** The guild's preferred locale, sent with the guild and its interactions; default "en-US". */
  readonly preferredLocale?: string;
}

export interface FakeWorld {
  readonly bot: FakeUser;
  readonly applicationId: string;
  readonly guilds: readonly FakeGuild[];
  /** The default author of dispatched messages. */
  readonly user: FakeUser;
  /** A second person, for conversations between two users. */
  readonly otherUser: FakeUser;
  /** Another bot in the guild, whose messages Mami must ignore. */
  readonly otherBot: FakeUser;
}

export const defaultWorld: FakeWorld = {
  bot: { id: "1300000000000000001", username: "Mami", bot: true },
  // New applications have the same id as their bot user.
  applicationId: "1300000000000000001",
  guilds: [
    {
      id: "1310000000000000001",
      name: "Test Guild",
      botRoleId: "1340000000000000001",
      channels: [
        { id: "1320000000000000001", name: "general", type: 0 },
        { id: "1320000000000000002", name: "random", type: 0 },
        { id: "1320000000000000003", name: "a thread", type: 11, parentId: "1320000000000000001" },
      ],
    },
  ],
  user: { id: "1330000000000000001", username: "alice", globalName: "Alice" },
  otherUser: { id: "1330000000000000002", username: "bob", globalName: "Bob" },
  otherBot: { id: "1330000000000000003", username: "otherbot", bot: true },
};

/**
 * A guild like the default one (a text channel with a thread, the bot's role) whose id puts it on
 * shard `shardId` of `shardCount`, for sharding tests; the default guild is on shard 1 of 2.
 */
export function guildOnShard(shardId: number, shardCount: number, name = `Guild of shard ${shardId}`): FakeGuild {
  const textChannelId = nextSnowflake();
  return {
    id: snowflakeOnShard(shardId, shardCount),
    name,
    botRoleId: nextSnowflake(),
    channels: [
      { id: textChannelId, name: "general", type: 0 },
      { id: nextSnowflake(), name: "a thread", type: 11, parentId: textChannelId },
    ],
  };
}

export function findChannel(world: FakeWorld, channelId: string): { guild: FakeGuild; channel: FakeChannel } | undefined {
  for (const guild of world.guilds) {
    const channel = guild.channels.find((candidate) => candidate.id === channelId);
    if (channel !== undefined) return { guild, channel };
  }
  return undefined;
}

/** One DM channel per user, with a stable id derived from theirs so tests can predict it. */
export function directMessageChannelId(userId: string): string {
  return String(BigInt(userId) + 1_000_000n);
}
