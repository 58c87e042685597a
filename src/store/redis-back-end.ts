import { randomUUID } from "node:crypto";
import type { EventEmitter } from "node:events";
import KeyvRedis, { createClient } from "@keyv/redis";
import { Keyv } from "keyv";
import type { StoreNamespace } from "../core/ports/key-value-store.js";
import type { Logger } from "../core/ports/logger.js";
import { logKeyvErrors, sharedKeyvOptions, unprefixedStorageKey, type KeyvBackEnd } from "./keyv-back-end.js";
import { startPresence } from "./redis-presence.js";
import { RedisSharedQuota } from "./redis-shared-quota.js";
import { RedisUpdateClaims } from "./redis-update-claims.js";
import { StoreUnavailableError } from "./store-unavailable-error.js";
import { storeNamespaces } from "./store-namespaces.js";

/** A command with no answer after this long fails, so a stuck server cannot stall a reply. */
const commandTimeoutMs = 5_000;
/** How long one TCP (and TLS) connection attempt may take. */
const connectTimeoutMs = 5_000;
/** At startup Redis may still be coming up (containers started together): retry this long. */
const startupRetryWindowMs = 5_000;
/** Reconnect attempts back off to at most this interval and never stop: the bot recovers on its own. */
const longestReconnectDelayMs = 5_000;

/**
 * One Redis connection shared by one keyv adapter per namespace. Each adapter prefixes its keys
 * with the namespace keyv gives it ("history::KEY"), so no other prefix is needed.
 *
 * During an outage commands fail at once ("The client is offline") instead of queueing until
 * Redis returns, and the client keeps reconnecting in the background.
 *
 * The same connection carries what processes coordinate through (docs/architecture.md,
 * "Scaling out"): the shared per-model quota, update claims, and each process's sign of life.
 */
export async function createRedisBackEnd(url: string, displayName: string, logger: Logger): Promise<KeyvBackEnd> {
  const startedAt = Date.now();
  let hasBeenReady = false;
  const client = createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: commandTimeoutMs },
    socket: {
      connectTimeout: connectTimeoutMs,
      reconnectStrategy: (attempts, cause) => {
        if (!hasBeenReady && Date.now() - startedAt > startupRetryWindowMs) {
          return cause; // Gives up, which makes connect() below reject with the cause.
        }
        return Math.min(100 * 2 ** attempts, longestReconnectDelayMs);
      },
    },
  });
  reportOutages(client, displayName, logger, () => {
    hasBeenReady = true;
  });

  try {
    await client.connect();
  } catch (error) {
    // Giving up closes the client already; any other failure (a rejected password) may not.
    if (client.isOpen) {
      client.destroy();
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreUnavailableError(`Could not connect to Redis at ${displayName} (from STORE_URL): ${reason}`, { cause: error });
  }
  const processId = randomUUID();
  const presence = await startPresence(client, processId, logger);

  const keyvByNamespace = new Map<StoreNamespace, Keyv>();
  for (const namespace of storeNamespaces) {
    const adapter = new KeyvRedis(client, {
      throwOnErrors: true,
      throwOnConnectError: true,
      connectionTimeout: connectTimeoutMs,
    });
    const keyv = new Keyv({ ...sharedKeyvOptions, store: adapter, namespace });
    logKeyvErrors(keyv, namespace, logger);
    keyvByNamespace.set(namespace, keyv);
  }
  return {
    description: `redis ${displayName}`,
    keyvByNamespace,
    storageKey: unprefixedStorageKey,
    coordination: { sharedQuota: new RedisSharedQuota(client, processId), updateClaims: new RedisUpdateClaims(client, processId) },
    close: async () => {
      presence.stop();
      if (client.isReady) {
        await client.close();
      } else if (client.isOpen) {
        // Reconnecting: a graceful QUIT would wait for a server that is not there.
        client.destroy();
      }
    },
  };
}

/**
 * The client emits "error" on every failed reconnect attempt (an unheard "error" would crash the
 * process). Log the start and the end of an outage, not each attempt.
 */
function reportOutages(client: EventEmitter, displayName: string, logger: Logger, onReady: () => void): void {
  let isInOutage = false;
  client.on("error", (error: unknown) => {
    if (!isInOutage) {
      isInOutage = true;
      logger.warn({ store: displayName, error }, "Redis is unreachable; store operations fail until it is back");
    }
  });
  client.on("ready", () => {
    onReady();
    if (isInOutage) {
      isInOutage = false;
      logger.info({ store: displayName }, "Redis is reachable again");
    }
  });
}
