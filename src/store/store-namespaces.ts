import type { StoreNamespace } from "../core/ports/key-value-store.js";

/**
 * Every namespace of the port, as a value. The record form makes the compiler fail here when a
 * namespace is added to `StoreNamespace` and not to this list, so no back end silently lacks it.
 */
const namespacePresence: Record<StoreNamespace, true> = {
  history: true,
  settings: true,
  "model-state": true,
  usage: true,
  "reply-index": true,
  documents: true,
  "group-context": true,
  "daily-stats": true,
};

export const storeNamespaces = Object.keys(namespacePresence) as StoreNamespace[];
