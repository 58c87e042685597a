import type { KeyValueStore } from "../ports/key-value-store.js";
import type { Logger } from "../ports/logger.js";
import type { SharedHeaders, SharedModelFacts } from "./model-state.js";

/** Processes look at each other's findings at most this often: about one store round trip a request. */
const refreshIntervalMs = 250;
/** A retired model stays known as retired for a week; Groq's live list corrects any mistake. */
const goneTimeToLiveMs = 7 * 24 * 60 * 60_000;
/** Headers say something about the current minute (TPM) and the day (RPD); a minute is what matters. */
const headersTimeToLiveMs = 60_000;

export interface SharedModelView {
  readonly facts?: SharedModelFacts;
  readonly headers?: SharedHeaders;
}

/**
 * What one bot process learns about a model that the others should know at once: the latest
 * rate-limit headers (so each process counts the others' use of a model's quota before its own
 * next call to it), a cooldown after a 429, and a model found retired. Kept in the store; used
 * only when the store is shared (Redis), since one process already knows all it learned.
 */
export class SharedModelKnowledge {
  private lastRefreshAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly store: KeyValueStore,
    private readonly logger: Logger,
  ) {}

  publishFacts(model: string, facts: SharedModelFacts, now: number): void {
    if (facts.gone === undefined && facts.cooldownUntil === undefined) return;
    const timeToLive = facts.gone === undefined ? Math.max(1_000, (facts.cooldownUntil ?? now) - now) : goneTimeToLiveMs;
    this.write(model, this.store.set("model-state", model, facts, timeToLive));
  }

  publishHeaders(model: string, headers: SharedHeaders): void {
    this.write(model, this.store.set("model-state", `${model}#headers`, headers, headersTimeToLiveMs));
  }

  /** Reads what other processes found, when the last look is older than the refresh interval. */
  async refreshIfStale(models: readonly string[], now: number, apply: (model: string, view: SharedModelView) => void): Promise<void> {
    if (now - this.lastRefreshAt < refreshIntervalMs) return;
    this.lastRefreshAt = now;
    this.refreshing ??= Promise.all(
      models.map(async (model) => {
        const [facts, headers] = await Promise.all([
          this.store.get<SharedModelFacts>("model-state", model),
          this.store.get<SharedHeaders>("model-state", `${model}#headers`),
        ]);
        apply(model, { ...(facts === undefined ? {} : { facts }), ...(headers === undefined ? {} : { headers }) });
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

  private write(model: string, writing: Promise<void>): void {
    writing.catch((error: unknown) => {
      this.logger.warn({ model, error: error instanceof Error ? error.message : String(error) }, "could not share a model's state");
    });
  }
}
