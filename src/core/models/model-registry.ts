import type { ModelCallError } from "../errors.js";
import type { Logger } from "../ports/logger.js";
import type { LiveModel, RateLimitSnapshot } from "../ports/model-client.js";
import { answerRoles, type Role } from "../roles.js";
import type { ModelCatalog, ModelProfile } from "./catalog.js";
import { failurePolicy } from "./failure-policy.js";
import { ModelState } from "./model-state.js";
import type { SharedModelKnowledge } from "./shared-model-knowledge.js";

/**
 * The models Mami may use: each role's chain, the catalog's profiles and one live state per
 * model, shared by every role that lists it (a model's quota is the same whoever uses it).
 */
export class ModelRegistry {
  private readonly states = new Map<string, ModelState>();
  private sharing: SharedModelKnowledge | undefined;

  constructor(
    readonly catalog: ModelCatalog,
    private readonly chains: Readonly<Record<Role, readonly string[]>>,
    private readonly logger: Logger,
    now: number,
  ) {
    const today = new Date(now).toISOString().slice(0, 10);
    for (const model of new Set(Object.values(chains).flat())) {
      if (!catalog.isKnown(model)) {
        logger.info({ model }, "model not in the catalog; using cautious limits until Groq's headers say more");
      }
      const profile = catalog.profileOf(model);
      const state = new ModelState(model, profile.limits);
      // Known retirements count until Groq's live list says otherwise, so that even without
      // the list (no key, or the call failed) nothing is sent to a model that is shut down.
      if (profile.retiredOn !== undefined && profile.retiredOn <= today) state.markGone(`shut down on ${profile.retiredOn}`);
      this.states.set(model, state);
    }
  }

  /** Shares cooldowns and retirements with other processes through the store. */
  shareThrough(sharing: SharedModelKnowledge): void {
    this.sharing = sharing;
  }

  /** Learns from a response's rate-limit headers and shares them with other processes. */
  recordHeaders(model: string, now: number, snapshot: RateLimitSnapshot): void {
    const state = this.state(model);
    state.observeHeaders(now, snapshot);
    const latest = state.latestHeaders;
    if (latest !== undefined && Object.keys(snapshot).length > 0) this.sharing?.publishHeaders(model, latest);
  }

  /** Learns from a failed call and tells other processes what they should skip too. */
  recordFailure(model: string, now: number, error: ModelCallError): void {
    const state = this.state(model);
    state.observeFailure(now, error);
    if (failurePolicy[error.kind].sharedWithOtherProcesses) this.sharing?.publishFacts(model, state.exportShared(), now);
    const latest = state.latestHeaders;
    if (latest !== undefined && error.rateLimits !== undefined) this.sharing?.publishHeaders(model, latest);
  }

  /** Picks up what other processes learned, at most every quarter of a second. */
  async refreshShared(now: number): Promise<void> {
    await this.sharing?.refreshIfStale(this.allModels(), now, (model, view) => {
      const state = this.state(model);
      if (view.facts !== undefined) state.importShared(view.facts);
      if (view.headers !== undefined) state.observeHeaders(now, view.headers.snapshot, view.headers.at);
    });
  }

  state(model: string): ModelState {
    let state = this.states.get(model);
    if (state === undefined) {
      state = new ModelState(model, this.catalog.profileOf(model).limits);
      this.states.set(model, state);
    }
    return state;
  }

  profile(model: string): ModelProfile {
    return this.catalog.profileOf(model);
  }

  /** The role's chain without the models known to be gone. */
  chain(role: Role): readonly string[] {
    return this.chains[role].filter((model) => !this.state(model).isGone);
  }

  /** The configured chain, gone models included (for doctor and status). */
  configuredChain(role: Role): readonly string[] {
    return this.chains[role];
  }

  /** Every model of any answer role, in chain order, for widening and pinning. */
  answerModels(): readonly string[] {
    return [...new Set(answerRoles.flatMap((role) => this.chain(role)))];
  }

  rolesOf(model: string): readonly Role[] {
    return (Object.keys(this.chains) as Role[]).filter((role) => this.chains[role].includes(model));
  }

  allModels(): readonly string[] {
    return [...this.states.keys()];
  }

  /**
   * Prunes what `GET /models` does not list (one warning each) and learns the context windows
   * of the rest.
   */
  applyLiveModels(live: readonly LiveModel[]): void {
    const liveIds = new Map(live.map((model) => [model.id, model]));
    for (const [model, state] of this.states) {
      const facts = liveIds.get(model);
      if (facts === undefined) {
        state.markGone("not listed by Groq's /models");
        this.logger.warn({ model, roles: this.rolesOf(model) }, `${model} is not served by Groq any more; removed from its chains`);
        continue;
      }
      state.markLive();
      this.catalog.learn(model, facts);
    }
  }
}
