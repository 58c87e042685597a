import type { DeserializedData, Keyv, KeyvOptions } from "keyv";
import type { StoreNamespace } from "../core/ports/key-value-store.js";
import type { Logger } from "../core/ports/logger.js";
import type { SharedQuota } from "../core/ports/shared-quota.js";
import type { UpdateClaims } from "../core/ports/update-claims.js";

/** What a back end gives the store: one keyv per namespace, and how to let go of the connection. */
export interface KeyvBackEnd {
  /** Named in error messages, so an operator knows which back end failed. */
  readonly description: string;
  readonly keyvByNamespace: ReadonlyMap<StoreNamespace, Keyv>;
  /** The key handed to keyv, for back ends whose namespaces share one keyspace. */
  storageKey(namespace: StoreNamespace, key: string): string;
  /** What processes sharing this back end coordinate through (Redis only). */
  readonly coordination?: { readonly sharedQuota: SharedQuota; readonly updateClaims: UpdateClaims };
  close(): Promise<void>;
}

/**
 * Options every keyv instance shares. Values are stored as plain JSON (keyv's default serializer
 * escapes strings that start with ":" and encodes Buffers, which nothing else reading the data
 * would expect). `throwOnErrors` makes a failed operation reject instead of quietly returning
 * `undefined` or `false`, which would look like a missing key.
 *
 * keyv's own key prefixing is off: it leaves a key that already starts with "NAMESPACE:" as it
 * is, so "abc" and "history:abc" would be one key in the history namespace. Back ends that need
 * a prefix add it themselves (`storageKey`).
 */
export const sharedKeyvOptions = {
  serialize: <Value>(data: DeserializedData<Value>): string => JSON.stringify(data),
  deserialize: <Value>(data: string): DeserializedData<Value> => JSON.parse(data) as DeserializedData<Value>,
  throwOnErrors: true,
  useKeyPrefix: false,
} satisfies Partial<KeyvOptions>;

/** The key itself, for back ends that keep each namespace apart on their own. */
export const unprefixedStorageKey = (_namespace: StoreNamespace, key: string): string => key;

/**
 * keyv re-emits its adapter's errors. Failed operations already reject to their caller, so these
 * events are only worth a debug line; the listener exists so nothing treats them as unhandled.
 */
export function logKeyvErrors(keyv: Keyv, namespace: StoreNamespace, logger: Logger): void {
  keyv.on("error", (error: unknown) => {
    logger.debug({ namespace, error }, "key-value store back end reported an error");
  });
}
