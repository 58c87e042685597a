import { Keyv } from "keyv";
import type { StoreNamespace } from "../core/ports/key-value-store.js";
import type { Logger } from "../core/ports/logger.js";
import { logKeyvErrors, sharedKeyvOptions, unprefixedStorageKey, type KeyvBackEnd } from "./keyv-back-end.js";
import { storeNamespaces } from "./store-namespaces.js";

/**
 * Everything in this process's memory, gone at exit: for tests. One Map per namespace, so keys
 * need no prefix. Values still go through JSON, so
 * a caller that mutates what it read cannot change what is stored, as with the other back ends.
 * keyv drops expired entries when they are read, not before.
 */
export function createMemoryBackEnd(logger: Logger): KeyvBackEnd {
  const keyvByNamespace = new Map<StoreNamespace, Keyv>();
  for (const namespace of storeNamespaces) {
    const keyv = new Keyv({ ...sharedKeyvOptions, store: new Map<string, unknown>(), namespace });
    logKeyvErrors(keyv, namespace, logger);
    keyvByNamespace.set(namespace, keyv);
  }
  return {
    description: "memory",
    keyvByNamespace,
    storageKey: unprefixedStorageKey,
    close: async () => {
      for (const keyv of keyvByNamespace.values()) {
        await keyv.clear();
      }
    },
  };
}
