/**
 * Discord's sharding, as the gateway applies it: a session that identified with
 * `shard: [shard_id, num_shards]` gets the guilds whose `(guild_id >> 22) % num_shards` is its
 * shard id, the events of those guilds, and, on shard 0 only, the events of no guild (DMs).
 */
import type { Json } from "./payloads.js";

export type ShardIdentity = readonly [shardId: number, shardCount: number];

/** A session that sent no `shard` is the only shard of one: it gets every guild and every event. */
export const unsharded: ShardIdentity = [0, 1];

/** Discord closes a session whose shard makes no sense with this code. */
export const invalidShardCloseCode = 4010;

export function shardOfGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** IDENTIFY's `shard` field: absent, a valid pair, or anything else ("invalid", closed with 4010). */
export function readShard(field: unknown): ShardIdentity | undefined | "invalid" {
  if (field === undefined || field === null) return undefined;
  if (!Array.isArray(field) || field.length !== 2) return "invalid";
  const [shardId, shardCount] = field as unknown[];
  if (typeof shardId !== "number" || typeof shardCount !== "number") return "invalid";
  return Number.isInteger(shardId) && Number.isInteger(shardCount) && shardId >= 0 && shardId < shardCount ? [shardId, shardCount] : "invalid";
}

export function isGuildOfShard(guildId: string, [shardId, shardCount]: ShardIdentity): boolean {
  return shardOfGuild(guildId, shardCount) === shardId;
}

/** Whether a dispatch reaches a session of this shard: by its `guild_id`, or shard 0 without one. */
export function receivesEvent(data: Json, shard: ShardIdentity): boolean {
  const guildId = data["guild_id"];
  return typeof guildId === "string" ? isGuildOfShard(guildId, shard) : shard[0] === 0;
}
