import type { KeyValueStore } from "../core/ports/key-value-store.js";
import { silentLogger, type Logger } from "../core/ports/logger.js";
import type { KeyvBackEnd } from "./keyv-back-end.js";
import { KeyvKeyValueStore } from "./keyv-key-value-store.js";
import { createMemoryBackEnd } from "./memory-back-end.js";
import { createRedisBackEnd } from "./redis-back-end.js";
import { createSqliteBackEnd } from "./sqlite-back-end.js";
import { parseStoreUrl } from "./store-url.js";

export interface KeyValueStoreOptions {
  /** Where back-end trouble (a Redis outage and its end) is reported. */
  readonly logger?: Logger;
}

/**
 * Opens the store that STORE_URL names: `sqlite://PATH`, `memory://`, `redis://HOST:PORT[/DB]`
 * or `rediss://...`. Rejects with a message naming STORE_URL when the URL is not one of these or
 * the back end cannot be reached; call close() at shutdown so the process can exit.
 */
export async function createKeyValueStore(url: string, options: KeyValueStoreOptions = {}): Promise<KeyValueStore> {
  const logger = options.logger ?? silentLogger;
  const location = parseStoreUrl(url);
  let backEnd: KeyvBackEnd;
  switch (location.kind) {
    case "memory":
      backEnd = createMemoryBackEnd(logger);
      break;
    case "sqlite":
      backEnd = await createSqliteBackEnd(location.filePath, logger);
      break;
    case "redis":
      backEnd = await createRedisBackEnd(location.url, location.displayName, logger);
      break;
  }
  return new KeyvKeyValueStore(backEnd, location.kind === "redis");
}
