import type { KeyValueStore } from "../ports/key-value-store.js";
import type { Logger } from "../ports/logger.js";
import type { SharedModelFacts } from "./model-state.js";

/** Processes look at each other's findings at most this often. */
const refreshIntervalMs = 2_000;
/** A retired model stays known as retired for a week; Groq's live list corrects any mistake. */
const goneTimeToLiveMs = 7 * 24 * 60 * 60_000;

/**
 * What one bot process learns about a model that the others should know at once: a cooldown
 * after a 429 and a model found retired. Kept in the store, so with `redis://` every process of
 * the organization skips a spent model without each paying a 429 to find out.
 */
export class SharedModelKnowledge {
  private lastRefreshAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly store: KeyValueStore,
    private readonly logger: Logger,
  ) {}

  publish(model: string, facts: SharedModelFacts, now: number): void {
    if (facts.gone === undefined && facts.cooldownUntil === undefined) return;
    const timeToLive = facts.gone === undefined ? Math.max(1_000, (facts.cooldownUntil ?? now) - now) : goneTimeToLiveMs;
    this.store.set("model-state", model, facts, timeToLive).catch((error: unknown) => {
      this.logger.warn({ model, error: error instanceof Error ? error.message : String(error) }, "could not share a model's state");
    });
  }

  /** Reads what other processes found, when the last look is older than the refresh interval. */
  async refreshIfStale(models: readonly string[], now: number, apply: (model: string, facts: SharedModelFacts) => void): Promise<void> {
    if (now - this.lastRefreshAt < refreshIntervalMs) return;
    this.lastRefreshAt = now;
    this.refreshing ??= Promise.all(
      models.map(async (model) => {
        const facts = await this.store.get<SharedModelFacts>("model-state", model);
        if (facts !== undefined) apply(model, facts);
      }),
    )
      .then(() => undefined)
      .catch((error: unknown) => {
        this.logger.warn({ error: error instanceof Error ? error.message : String(error) }, "could not read shared model state");
      })
      .finally(() => {
        this.refreshing = undefined;
      });
    await this.refreshing;
  }
}
