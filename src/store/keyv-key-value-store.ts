import type { Keyv } from "keyv";
import type { KeyValueStore, StoreNamespace } from "../core/ports/key-value-store.js";
import type { SharedQuota } from "../core/ports/shared-quota.js";
import type { UpdateClaims } from "../core/ports/update-claims.js";
import type { KeyvBackEnd } from "./keyv-back-end.js";

/** The port over one keyv per namespace, whatever the back end. */
export class KeyvKeyValueStore implements KeyValueStore {
  readonly #backEnd: KeyvBackEnd;
  #closing: Promise<void> | undefined;

  constructor(
    backEnd: KeyvBackEnd,
    readonly sharedAcrossProcesses: boolean,
  ) {
    this.#backEnd = backEnd;
  }

  get sharedQuota(): SharedQuota | undefined {
    return this.#backEnd.coordination?.sharedQuota;
  }

  get updateClaims(): UpdateClaims | undefined {
    return this.#backEnd.coordination?.updateClaims;
  }

  async get<Value>(namespace: StoreNamespace, key: string): Promise<Value | undefined> {
    const keyv = this.#keyvFor(namespace);
    return this.#explainFailure("get", namespace, key, () => keyv.get<Value>(this.#backEnd.storageKey(namespace, key)));
  }

  async set<Value>(namespace: StoreNamespace, key: string, value: Value, timeToLiveMs?: number): Promise<void> {
    const keyv = this.#keyvFor(namespace);
    if (timeToLiveMs !== undefined && Number.isNaN(timeToLiveMs)) {
      throw new RangeError(`timeToLiveMs for ${namespace}/${key} is NaN`);
    }
    if (timeToLiveMs !== undefined && timeToLiveMs <= 0) {
      // A lifetime that has already run out: the value would be gone before anyone read it.
      // (keyv itself would read 0 as "never expires", and Redis rejects a negative PX.)
      await this.delete(namespace, key);
      return;
    }
    // Redis takes whole milliseconds only; Infinity means no expiry.
    const wholeMilliseconds = timeToLiveMs !== undefined && Number.isFinite(timeToLiveMs) ? Math.ceil(timeToLiveMs) : undefined;
    await this.#explainFailure("set", namespace, key, () => keyv.set(this.#backEnd.storageKey(namespace, key), value, wholeMilliseconds));
  }

  async delete(namespace: StoreNamespace, key: string): Promise<void> {
    const keyv = this.#keyvFor(namespace);
    await this.#explainFailure("delete", namespace, key, () => keyv.delete(this.#backEnd.storageKey(namespace, key)));
  }

  /** Idempotent: shutdown paths may call it more than once. */
  async close(): Promise<void> {
    this.#closing ??= this.#backEnd.close();
    return this.#closing;
  }

  #keyvFor(namespace: StoreNamespace): Keyv {
    if (this.#closing !== undefined) {
      throw new Error(`The key-value store (${this.#backEnd.description}) is closed`);
    }
    const keyv = this.#backEnd.keyvByNamespace.get(namespace);
    if (keyv === undefined) {
      throw new Error(`Unknown key-value store namespace ${JSON.stringify(namespace)}`);
    }
    return keyv;
  }

  /** Back-end errors ("The client is offline", "SQLITE_BUSY") say nothing of what we were doing. */
  async #explainFailure<Result>(operation: string, namespace: StoreNamespace, key: string, run: () => Promise<Result>): Promise<Result> {
    try {
      return await run();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`Key-value store (${this.#backEnd.description}) could not ${operation} ${namespace}/${key}: ${reason}`, { cause: error });
    }
  }
}
