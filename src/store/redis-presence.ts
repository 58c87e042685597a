import type { Logger } from "../core/ports/logger.js";
import { heartbeatScript } from "./redis-quota-scripts.js";
import { RedisScript, type ScriptClient } from "./redis-script.js";

/** A sorted set: process id → when it last showed a sign of life (Redis's own clock). */
export const presenceKey = "mami:processes";
/** Processes seen within this long count as running: the share each takes while Redis is away. */
export const presenceWindowMs = 30_000;
/** A process silent this long is taken for dead: another may answer the updates it had claimed. */
export const ownerSilenceMs = 5_000;
const heartbeatIntervalMs = 1_000;

const heartbeat = new RedisScript(heartbeatScript);

export interface Presence {
  stop(): void;
}

/**
 * Shows that this process is alive, at once and then every second, so that the others count it
 * (the share of quota each takes while Redis is away) and do not take over the updates it is
 * answering. Failures are left to the store's own outage log.
 */
export async function startPresence(client: ScriptClient, processId: string, logger: Logger): Promise<Presence> {
  const beat = (): Promise<unknown> => heartbeat.run(client, [presenceKey], [processId, String(presenceWindowMs)]);
  await beat();
  const timer = setInterval(() => {
    beat().catch((error: unknown) => logger.debug({ error: String(error) }, "could not show this process's presence in Redis"));
  }, heartbeatIntervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
