/**
 * Discord ids are snowflakes: a millisecond timestamp since 2015 shifted left by 22 bits. discord.js
 * derives `createdTimestamp` from them, so the fake mints real ones rather than counters.
 */
import { shardOfGuild } from "./shard-routing.js";

const discordEpochMs = 1_420_070_400_000n;
let sequence = 0n;

export function nextSnowflake(): string {
  sequence = (sequence + 1n) & 0xfffn;
  return String(((BigInt(Date.now()) - discordEpochMs) << 22n) | sequence);
}

/**
 * A fresh snowflake that, as a guild id, falls on shard `shardId` of `shardCount`. The shard
 * comes from the timestamp bits, so the minted id is moved a few milliseconds forward rather than
 * made up: it stays a real snowflake.
 */
export function snowflakeOnShard(shardId: number, shardCount: number): string {
  if (!Number.isInteger(shardCount) || shardCount < 1 || !Number.isInteger(shardId) || shardId < 0 || shardId >= shardCount) {
    throw new RangeError(`There is no shard ${shardId} of ${shardCount}.`);
  }
  const minted = nextSnowflake();
  const millisecondsForward = (shardId - shardOfGuild(minted, shardCount) + shardCount) % shardCount;
  return String(BigInt(minted) + (BigInt(millisecondsForward) << 22n));
}
