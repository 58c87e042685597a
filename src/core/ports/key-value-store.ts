import type { SharedQuota } from "./shared-quota.js";
import type { UpdateClaims } from "./update-claims.js";

/** Namespaces of what Mami keeps; each is a separate keyspace in the back end. */
export type StoreNamespace = "history" | "settings" | "model-state" | "usage" | "reply-index" | "update-claims" | "documents" | "group-context" | "daily-stats";

/**
 * The storage port. Values are plain JSON data. Implementations: keyv over SQLite, Redis or
 * memory (src/store).
 */
export interface KeyValueStore {
  /** True when other bot processes read and write the same data (Redis), so sharing pays off. */
  readonly sharedAcrossProcesses: boolean;
  /**
   * Per-model quota reserved atomically across processes, when they share the store (Redis);
   * absent otherwise, and one process keeps its quota in memory (docs/architecture.md).
   */
  readonly sharedQuota?: SharedQuota | undefined;
  /** Update claims made atomically across processes (Redis); absent otherwise, where one process receives every update. */
  readonly updateClaims?: UpdateClaims | undefined;
  get<Value>(namespace: StoreNamespace, key: string): Promise<Value | undefined>;
  set<Value>(namespace: StoreNamespace, key: string, value: Value, timeToLiveMs?: number): Promise<void>;
  delete(namespace: StoreNamespace, key: string): Promise<void>;
  close(): Promise<void>;
}
