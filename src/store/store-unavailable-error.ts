/**
 * The store STORE_URL names cannot be opened or reached at start-up: a setting for the operator
 * to fix, reported by `mami start` like the others (exit status 2).
 */
export class StoreUnavailableError extends Error {
  override readonly name = "StoreUnavailableError";
}
