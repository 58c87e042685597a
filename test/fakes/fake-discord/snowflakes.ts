/**
 * Discord ids are snowflakes: a millisecond timestamp since 2015 shifted left by 22 bits. discord.js
 * derives `createdTimestamp` from them, so the fake mints real ones rather than counters.
 */
const discordEpochMs = 1_420_070_400_000n;
let sequence = 0n;

export function nextSnowflake(): string {
  sequence = (sequence + 1n) & 0xfffn;
  return String(((BigInt(Date.now()) - discordEpochMs) << 22n) | sequence);
}
