/** Namespaces of what Mami keeps; each is a separate keyspace in the back end. */
export type StoreNamespace = "history" | "settings" | "model-state" | "usage" | "reply-index" | "documents" | "group-context" | "daily-stats";

/**
 * The storage port. Values are plain JSON data. Implementations: keyv over SQLite, Redis or
 * memory (src/store).
 */
export interface KeyValueStore {
  /** True when other bot processes read and write the same data (Redis), so sharing pays off. */
  readonly sharedAcrossProcesses: boolean;
  get<Value>(namespace: StoreNamespace, key: string): Promise<Value | undefined>;
  set<Value>(namespace: StoreNamespace, key: string, value: Value, timeToLiveMs?: number): Promise<void>;
  delete(namespace: StoreNamespace, key: string): Promise<void>;
  close(): Promise<void>;
}
