import type { Logger } from "../core/ports/logger.js";

/** How often expired rows are swept out of the SQLite file (and once at start). */
export const sqlitePurgeIntervalMs = 10 * 60_000;
/** Rows examined per statement: each statement holds the file's write lock only briefly. */
const rowsPerBatch = 1000;
/** Rows per DELETE when rows are judged here rather than in SQL: two parameters each. */
const rowsPerHandDelete = 200;

/** The adapter's query function: runs one statement and resolves to its rows. */
export type SqliteQuery = (sql: string, ...parameters: unknown[]) => Promise<unknown>;

export interface SqliteExpiryPurgeOptions {
  readonly intervalMs?: number;
  /**
   * Whether SQLite's JSON functions are used to read each row's expiry (JSON1, built in since
   * SQLite 3.38). Probed at the first purge when not given; without them rows are parsed here.
   */
  readonly sqlJson?: boolean;
}

export interface SqliteExpiryPurge {
  /** Deletes every row whose expiry is before `now` (milliseconds since the epoch); resolves to how many. */
  purge(now?: number): Promise<number>;
  /** Stops the timer and waits for a purge under way, which ends after its current batch. */
  stop(): Promise<void>;
}

/**
 * keyv (5) keeps a value's expiry inside the stored value: with our JSON serializer each row's
 * `value` column holds `{"value": ..., "expires": MILLISECONDS_SINCE_EPOCH}`, or no `expires` at
 * all for a value that never expires. keyv treats a value as gone once `Date.now() > expires`,
 * but @keyv/sqlite never deletes it unless it is read, so rows of chats nobody returns to would
 * stay for ever. This sweeps them: at start, then every `intervalMs` (an unref'd timer that does
 * not keep the process alive).
 *
 * The table is walked in windows of rowids, so one pass reads each row once and no statement
 * holds the write lock for long; a row rewritten between windows keeps its rowid and is judged
 * by its new value. A value that is not JSON, or whose `expires` is not a number, is left alone.
 */
export function startSqliteExpiryPurge(query: SqliteQuery, table: string, logger: Logger, options: SqliteExpiryPurgeOptions = {}): SqliteExpiryPurge {
  let sqlJson: Promise<boolean> | undefined = options.sqlJson === undefined ? undefined : Promise.resolve(options.sqlJson);
  let stopped = false;
  let running: Promise<number> | undefined;

  const rows = async (sql: string, ...parameters: unknown[]): Promise<Record<string, unknown>[]> => {
    const result = await query(sql, ...parameters);
    return Array.isArray(result) ? (result as Record<string, unknown>[]) : [];
  };

  const probeSqlJson = async (): Promise<boolean> => {
    try {
      const [row] = await rows(`SELECT json_extract('{"expires":1}', '$.expires') AS probe`);
      return row?.["probe"] === 1;
    } catch {
      logger.info({}, "SQLite has no JSON functions; expired rows are purged by reading them here");
      return false;
    }
  };

  /** Rows after `afterRowid`, one window's worth: the last rowid in it, or undefined at the end. */
  const windowEnd = async (afterRowid: number): Promise<number | undefined> => {
    const [row] = await rows(`SELECT max(rowid) AS last FROM (SELECT rowid FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT ?)`, afterRowid, rowsPerBatch);
    const last = row?.["last"];
    return typeof last === "number" ? last : undefined;
  };

  const purgeWindowInSql = async (after: number, last: number, now: number): Promise<number> => {
    // CASE first: json_type and json_extract raise an error on text that is not JSON.
    const deleted = await rows(
      `DELETE FROM ${table} WHERE rowid > ? AND rowid <= ? AND CASE WHEN json_valid(value)
         THEN json_type(value, '$.expires') IN ('integer', 'real') AND json_extract(value, '$.expires') < ?
         ELSE 0 END
       RETURNING rowid`,
      after,
      last,
      now,
    );
    return deleted.length;
  };

  const purgeWindowHere = async (after: number, last: number, now: number): Promise<number> => {
    const candidates = await rows(`SELECT rowid AS id, value FROM ${table} WHERE rowid > ? AND rowid <= ?`, after, last);
    const expired = candidates.filter((candidate) => typeof candidate["value"] === "string" && hasExpired(candidate["value"], now));
    let deleted = 0;
    // A few statements per window, not one per row (each would be a transaction of its own), with
    // few enough parameters for any SQLite build (999 at the least).
    for (let start = 0; start < expired.length; start += rowsPerHandDelete) {
      const chunk = expired.slice(start, start + rowsPerHandDelete);
      // Only if unchanged since it was read: a value written meanwhile has an expiry of its own.
      const condition = chunk.map(() => "(rowid = ? AND value = ?)").join(" OR ");
      const gone = await rows(`DELETE FROM ${table} WHERE ${condition} RETURNING rowid`, ...chunk.flatMap((row) => [row["id"], row["value"]]));
      deleted += gone.length;
    }
    return deleted;
  };

  const purgeAll = async (now: number): Promise<number> => {
    sqlJson ??= probeSqlJson();
    const purgeWindow = (await sqlJson) ? purgeWindowInSql : purgeWindowHere;
    let deleted = 0;
    let after = 0;
    for (let last = await windowEnd(after); last !== undefined && !stopped; last = await windowEnd(after)) {
      deleted += await purgeWindow(after, last, now);
      after = last;
    }
    return deleted;
  };

  const purge = (now: number = Date.now()): Promise<number> => {
    // The connection is closing or closed.
    if (stopped) return Promise.resolve(0);
    // One purge at a time; a request during one runs after it (with its own `now`).
    const previous = running ?? Promise.resolve(0);
    const next: Promise<number> = previous
      .catch(() => 0)
      .then(() => purgeAll(now))
      .finally(() => {
        if (running === next) running = undefined;
      });
    running = next;
    return next;
  };

  const purgeOnSchedule = (): void => {
    if (stopped || running !== undefined) return;
    const startedAt = Date.now();
    purge().then(
      (deleted) => {
        if (deleted > 0) logger.debug({ deleted, durationMs: Date.now() - startedAt }, "Purged expired rows from the SQLite store");
      },
      (error: unknown) => {
        // Not fatal: the rows are purged at the next run, and reads ignore them meanwhile.
        if (!stopped) logger.warn({ error: String(error) }, "Could not purge expired rows from the SQLite store");
      },
    );
  };

  const timer = setInterval(purgeOnSchedule, options.intervalMs ?? sqlitePurgeIntervalMs);
  timer.unref();
  // Not awaited: a large file must not hold up startup.
  setImmediate(purgeOnSchedule).unref();

  return {
    purge,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}

/** keyv's own rule (`Date.now() > expires`), applied to a stored row. */
function hasExpired(storedValue: string, now: number): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(storedValue);
  } catch {
    return false;
  }
  if (typeof parsed !== "object" || parsed === null) return false;
  const expires = (parsed as { expires?: unknown }).expires;
  return typeof expires === "number" && expires < now;
}
