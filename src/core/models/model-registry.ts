import type { ModelCallError } from "../errors.js";
import type { Logger } from "../ports/logger.js";
import type { LiveModel, RateLimitSnapshot } from "../ports/model-client.js";
import { answerRoles, ordinaryAnswerRoles, type Role } from "../roles.js";
import type { ModelCatalog, ModelProfile } from "./catalog.js";
import { failurePolicy } from "./failure-policy.js";
import { ModelState, type CompletionAccounting, type Reservation } from "./model-state.js";
import type { SharedRefusal, SharedReservations } from "./shared-reservations.js";
import type { SelectedModel } from "../generation/model-call.js";

/**
 * The models Mami may use: each role's chain, the catalog's profiles and one live state per
 * model, shared by every role that lists it (a model's quota is the same whoever uses it).
 */
/**
 * Live models that are not for answering chat: speech, safety classifiers, Groq's compound
 * systems (they search the web, and their day's requests are few) and text to speech.
 */
const notAnAnswerModel = /whisper|guard|safeguard|compound|orpheus|tts|playai|distil-whisper/i;

export class ModelRegistry {
  private readonly states = new Map<string, ModelState>();
  /** Live models no answer chain names that can answer chat: used after the chains (Groq's list names them). */
  private readonly unlistedAnswerModels: string[] = [];
  private sharing: SharedReservations | undefined;
  /** How Groq counts finished calls, as the first model to learn it showed. */
  private organizationAccounting: CompletionAccounting = "unknown";
  /** Told when one of this process's own calls settles how Groq counts finished calls, for LearningMemory to keep. */
  onAccountingLearned: ((accounting: CompletionAccounting) => void) | undefined;

  constructor(
    readonly catalog: ModelCatalog,
    private readonly chains: Readonly<Record<Role, readonly string[]>>,
    private readonly logger: Logger,
    now: number,
    /** EXTRA_MODELS: whether live models no answer chain names answer once the chains are spent. */
    private readonly useExtraModels = true,
  ) {
    const today = new Date(now).toISOString().slice(0, 10);
    for (const model of new Set(Object.values(chains).flat())) {
      if (!catalog.isKnown(model)) {
        logger.info({ model }, "model not in the catalog; using cautious limits until Groq's headers say more");
      }
      const profile = catalog.profileOf(model);
      const state = this.newState(model, profile.limits);
      // Known retirements count until Groq's live list says otherwise, so that even without
      // the list (no key, or the call failed) nothing is sent to a model that is shut down.
      if (profile.retiredOn !== undefined && profile.retiredOn <= today) state.markGone(`shut down on ${profile.retiredOn}`);
      this.states.set(model, state);
    }
  }

  /**
   * Shares quota with other processes: every reservation is confirmed on the shared quota, and
   * cooldowns, retirements, headers and Groq's accounting are told to the others.
   */
  shareThrough(sharing: SharedReservations): void {
    this.sharing = sharing;
    for (const state of this.states.values()) state.sharing = sharing;
  }

  /** Whether reservations must be confirmed with other processes (`confirmShared`) before they count. */
  get sharesQuota(): boolean {
    return this.sharing !== undefined;
  }

  /**
   * Books a selected model's reservation on the quota processes share. Undefined when it is
   * booked (or nothing is shared); a refusal has released the reservation already.
   */
  async confirmShared(selected: SelectedModel): Promise<SharedRefusal | undefined> {
    return this.sharing?.confirm(this.state(selected.model), selected.reservation);
  }

  /**
   * Learns from a response's rate-limit headers and shares them with other processes.
   * `sentAt` is when the call that carried them was sent: they count what was sent by then.
   * `carrier` is that call's reservation (ModelState.observeHeaders).
   */
  recordHeaders(model: string, now: number, snapshot: RateLimitSnapshot, sentAt = now, carrier?: Reservation): void {
    const state = this.state(model);
    // Alone (no shared quota, or Redis away) there is no mirror to wait for: the headers are the
    // only word of the other processes' use, and count at once.
    if (this.sharing === undefined || this.sharing.countingAlone) {
      state.observeHeaders(now, snapshot, sentAt, carrier);
      if (this.sharing !== undefined && Object.keys(snapshot).length > 0) this.sharing.publishHeaders(model, sentAt, snapshot);
      return;
    }
    state.observeHeadersOnceMirrored(snapshot, sentAt, carrier);
    if (Object.keys(snapshot).length > 0) this.sharing.publishHeaders(model, sentAt, snapshot);
  }

  /** Learns from a failed call and tells other processes what they should skip too. */
  recordFailure(model: string, now: number, error: ModelCallError): void {
    const state = this.state(model);
    state.observeFailure(now, error);
    if (failurePolicy[error.kind].sharedWithOtherProcesses) {
      const facts = state.exportShared();
      if (facts.gone !== undefined) this.sharing?.publishGone(model, facts.gone);
      if (facts.cooldownUntil !== undefined) this.sharing?.publishCooldown(model, facts.cooldownUntil, facts.cooldownReason ?? "cooling down");
    }
    const latest = state.latestHeaders;
    if (latest !== undefined && error.rateLimits !== undefined) this.sharing?.publishHeaders(model, latest.at, latest.snapshot);
  }

  /** Picks up what other processes hold and learned, at most every quarter of a second. */
  async refreshShared(now: number): Promise<void> {
    await this.sharing?.refresh(this.allModels(), (snapshot) => {
      for (const [model, shared] of snapshot.models) {
        const state = this.state(model);
        state.mirrorForeignMinute(shared.foreignMinute, now);
        state.importShared({
          ...(shared.gone === undefined ? {} : { gone: shared.gone }),
          ...(shared.cooldown === undefined ? {} : { cooldownUntil: shared.cooldown.until, cooldownReason: shared.cooldown.reason }),
        });
        if (shared.headers !== undefined) state.observeHeaders(now, shared.headers.snapshot, shared.headers.at);
      }
      if (snapshot.accounting !== undefined && snapshot.accounting !== this.organizationAccounting) this.adoptAccounting(snapshot.accounting);
    });
  }

  /**
   * How Groq counts finished calls, as another process learned it, or this one before a restart
   * (LearningMemory): every model not taught otherwise by its own calls takes it.
   */
  adoptAccounting(accounting: CompletionAccounting): void {
    this.organizationAccounting = accounting;
    for (const state of this.states.values()) state.adoptOrganizationAccounting(accounting);
  }

  state(model: string): ModelState {
    let state = this.states.get(model);
    if (state === undefined) {
      state = this.newState(model, this.catalog.profileOf(model).limits);
      this.states.set(model, state);
    }
    return state;
  }

  /** What one model's headers show of Groq's accounting holds for the organization's other models too. */
  private newState(model: string, limits: ModelProfile["limits"]): ModelState {
    const state = new ModelState(model, limits);
    state.sharing = this.sharing;
    state.onAccountingLearned = (accounting) => {
      this.organizationAccounting = accounting;
      for (const other of this.states.values()) if (other !== state) other.adoptOrganizationAccounting(accounting);
      this.sharing?.publishAccounting(accounting);
      this.onAccountingLearned?.(accounting);
    };
    if (this.organizationAccounting !== "unknown") state.adoptOrganizationAccounting(this.organizationAccounting);
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

  /**
   * Every model that may answer, in chain order, then the live models no chain names: what
   * widening and pinning use, so every live model adds its quota. The search chain is not
   * among them: its systems answer searches only (roles.ts, `ordinaryAnswerRoles`).
   */
  answerModels(): readonly string[] {
    const inChains = ordinaryAnswerRoles.flatMap((role) => this.chain(role));
    return [...new Set([...inChains, ...this.unlistedAnswerModels.filter((model) => !this.state(model).isGone)])];
  }

  rolesOf(model: string): readonly Role[] {
    return (Object.keys(this.chains) as Role[]).filter((role) => this.chains[role].includes(model));
  }

  /** Whether the model answers only as a live model Groq lists beyond the configured chains. */
  isUnlisted(model: string): boolean {
    return this.unlistedAnswerModels.includes(model);
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
    const inAnswerChains = new Set(answerRoles.flatMap((role) => this.chains[role]));
    for (const model of live) {
      if (!this.useExtraModels || inAnswerChains.has(model.id) || this.unlistedAnswerModels.includes(model.id) || notAnAnswerModel.test(model.id)) continue;
      // Its limits are the catalog's (or a cautious guess) until Groq's headers tell.
      this.catalog.learn(model.id, model);
      if (!this.states.has(model.id)) this.states.set(model.id, this.newState(model.id, this.catalog.profileOf(model.id).limits));
      this.unlistedAnswerModels.push(model.id);
      this.logger.info({ model: model.id }, `${model.id} is live and in no answer chain: it answers when the chains are spent`);
    }
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
