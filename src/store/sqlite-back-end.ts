import { mkdir } from "node:fs/promises";
import path from "node:path";
import { KeyvSqlite } from "@keyv/sqlite";
import { Keyv } from "keyv";
import type { StoreNamespace } from "../core/ports/key-value-store.js";
import type { Logger } from "../core/ports/logger.js";
import { logKeyvErrors, sharedKeyvOptions, type KeyvBackEnd } from "./keyv-back-end.js";
import { StoreUnavailableError } from "./store-unavailable-error.js";
import { startSqliteExpiryPurge, type SqliteExpiryPurgeOptions } from "./sqlite-expiry-purge.js";
import { storeNamespaces } from "./store-namespaces.js";

/** How long a write waits for another process's lock on the file before it fails (SQLITE_BUSY). */
const lockWaitMs = 5_000;

export interface SqliteBackEnd extends KeyvBackEnd {
  /** Deletes the rows whose expiry is before `now` (default: the present); resolves to how many. */
  purgeExpired(now?: number): Promise<number>;
}

/**
 * One SQLite file, one connection. All namespaces share one adapter and so one table, where each
 * key is stored as "NAMESPACE:KEY" (the layout keyv's own prefixing would give). The adapter's
 * `namespace` field, which each keyv overwrites, only matters to clear() and iteration, neither
 * of which the port offers.
 *
 * The adapter deletes an expired row only when it is read; a timer purges the others (see
 * sqlite-expiry-purge.ts) until the store closes. `purge` tunes it, for tests.
 */
export async function createSqliteBackEnd(filePath: string, logger: Logger, purge: SqliteExpiryPurgeOptions = {}): Promise<SqliteBackEnd> {
  try {
    // The adapter opens the file as soon as it is constructed, so the folder must exist first.
    await mkdir(path.dirname(filePath), { recursive: true });
  } catch (error) {
    throw cannotOpen(filePath, error);
  }
  const adapter = new KeyvSqlite({ uri: `sqlite://${filePath}`, busyTimeout: lockWaitMs });
  // Listen before the first query: an EventEmitter's unheard "error" is thrown.
  adapter.on("error", (error: unknown) => logger.debug({ error }, "SQLite adapter reported an error"));
  try {
    // Opening and creating the table happen in the background; wait for them so that a bad path
    // fails at startup, not at the first message.
    await adapter.query("SELECT 1");
  } catch (error) {
    throw cannotOpen(filePath, error);
  }

  const keyvByNamespace = new Map<StoreNamespace, Keyv>();
  for (const namespace of storeNamespaces) {
    const keyv = new Keyv({ ...sharedKeyvOptions, store: adapter, namespace });
    logKeyvErrors(keyv, namespace, logger);
    keyvByNamespace.set(namespace, keyv);
  }
  const expiryPurge = startSqliteExpiryPurge(adapter.query, adapter.opts.table ?? "keyv", logger, purge);
  return {
    description: `sqlite ${filePath}`,
    keyvByNamespace,
    storageKey: (namespace, key) => `${namespace}:${key}`,
    purgeExpired: (now) => expiryPurge.purge(now),
    close: async () => {
      await expiryPurge.stop();
      await adapter.disconnect();
    },
  };
}

function cannotOpen(filePath: string, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`Could not open the SQLite store at ${filePath} (from STORE_URL): ${reason}`, { cause: error });
}
