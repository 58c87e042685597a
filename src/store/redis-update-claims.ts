import type { UpdateClaims } from "../core/ports/update-claims.js";
import { adoptScript, claimScript, finishScript } from "./redis-claim-scripts.js";
import { ownerSilenceMs, presenceKey } from "./redis-presence.js";
import { RedisScript, type ScriptClient } from "./redis-script.js";

const scripts = { claim: new RedisScript(claimScript), finish: new RedisScript(finishScript), adopt: new RedisScript(adoptScript) };

const claimPrefix = "mami:claim:";
/** Telegram redelivers an update for at most a day; a claim outlives that. */
const claimTimeToLiveMs = 26 * 60 * 60_000;
/** Orphans adopted in one look, so one look stays short. */
const adoptedAtOnce = 20;

/** Update claims on Redis, one Lua script per step (redis-claim-scripts.ts). */
export class RedisUpdateClaims implements UpdateClaims {
  constructor(
    private readonly client: ScriptClient,
    private readonly processId: string,
  ) {}

  async claim(platform: string, updateId: string, payload: string): Promise<boolean> {
    const claimed = await scripts.claim.run(
      this.client,
      [`${claimPrefix}${platform}:${updateId}`, `${claimPrefix}${platform}:pending`, presenceKey],
      [this.processId, payload, String(claimTimeToLiveMs), String(ownerSilenceMs), updateId],
    );
    return Number(claimed) === 1;
  }

  async finish(platform: string, updateId: string): Promise<void> {
    await scripts.finish.run(this.client, [`${claimPrefix}${platform}:${updateId}`, `${claimPrefix}${platform}:pending`], [this.processId, String(claimTimeToLiveMs), updateId]);
  }

  async adoptOrphans(platform: string): Promise<readonly { readonly updateId: string; readonly payload: string }[]> {
    const adopted = (await scripts.adopt.run(
      this.client,
      [`${claimPrefix}${platform}:pending`, presenceKey],
      [this.processId, String(ownerSilenceMs), `${claimPrefix}${platform}:`, String(adoptedAtOnce)],
    )) as [string, string][];
    return adopted.map(([updateId, payload]) => ({ updateId: String(updateId), payload: String(payload) }));
  }
}
