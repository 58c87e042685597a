import type { KeyValueStore, StoreNamespace } from "../ports/key-value-store.js";
import type { Logger } from "../ports/logger.js";

/**
 * The store as the pipeline sees it when processes share Redis: while Redis cannot be reached,
 * a read finds nothing and a write is dropped, so messages are still answered (without their
 * history, pins and usage for that while) instead of failing one by one. Said once per outage;
 * the first operation that succeeds again ends it. Quota has its own fallback
 * (models/shared-reservations.ts).
 */
export class OutageTolerantStore implements KeyValueStore {
  private inOutage = false;

  constructor(
    private readonly store: KeyValueStore,
    private readonly logger: Logger,
  ) {}

  get sharedAcrossProcesses(): boolean {
    return this.store.sharedAcrossProcesses;
  }

  get sharedQuota(): KeyValueStore["sharedQuota"] {
    return this.store.sharedQuota;
  }

  get updateClaims(): KeyValueStore["updateClaims"] {
    return this.store.updateClaims;
  }

  async get<Value>(namespace: StoreNamespace, key: string): Promise<Value | undefined> {
    return this.tolerate(() => this.store.get<Value>(namespace, key), undefined);
  }

  async set<Value>(namespace: StoreNamespace, key: string, value: Value, timeToLiveMs?: number): Promise<void> {
    await this.tolerate(() => this.store.set(namespace, key, value, timeToLiveMs), undefined);
  }

  async delete(namespace: StoreNamespace, key: string): Promise<void> {
    await this.tolerate(() => this.store.delete(namespace, key), undefined);
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private async tolerate<Result>(operation: () => Promise<Result>, meanwhile: Result): Promise<Result> {
    try {
      const result = await operation();
      if (this.inOutage) {
        this.inOutage = false;
        this.logger.info({}, "the store (Redis, STORE_URL) answers again: history, settings and usage are kept again");
      }
      return result;
    } catch (error) {
      if (!this.inOutage) {
        this.inOutage = true;
        this.logger.warn(
          { error: error instanceof Error ? error.message : String(error) },
          "the store (Redis, STORE_URL) cannot be reached: answering without history, settings and usage until it answers again",
        );
      }
      return meanwhile;
    }
  }
}
