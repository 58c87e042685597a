import type { MamiConfig } from "./config/config.js";
import { locationKey, rememberReplyMessages, resolveConversationId } from "./conversation/conversation-key.js";
import { forgetHistory } from "./conversation/history.js";
import { loadSettings, savePin, saveResetTime, type ConversationPin } from "./conversation/settings.js";
import { searchesToday } from "./conversation/search-usage.js";
import { loadUsage } from "./conversation/usage.js";
import { CommunityFeatures, type PersonaChange } from "./community-features.js";
import type { DailyStats } from "./conversation/daily-stats.js";
import type { GroupMessage } from "./conversation/group-context.js";
import type { UsageReport } from "./conversation/usage-report.js";
import { ReadingsInProgress } from "./documents/readings-in-progress.js";
import { CompletionBudgets } from "./generation/completion-budgets.js";
import { ModelCatalog } from "./models/catalog.js";
import { ModelRegistry } from "./models/model-registry.js";
import type { QuotaLeft } from "./models/model-state.js";
import { LearningMemory } from "./models/learning-memory.js";
import { SharedCompletionBudgets } from "./models/shared-completion-budgets.js";
import { SharedReservations } from "./models/shared-reservations.js";
import { OutageTolerantStore } from "./scale-out/outage-tolerant-store.js";
import { isAdmin, refuseAccess } from "./pipeline/admit.js";
import { answerRequest, queueWaitWithin } from "./pipeline/answer.js";
import { recordingOutcome } from "./pipeline/record-outcome.js";
import { wordingOf } from "./language/wording.js";
import { oneAtATimeReply, queuedNotice, stoppedReply } from "./pipeline/replies.js";
import { presentReply } from "./presentation/present-reply.js";
import type { ReplySurface } from "./presentation/reply-surface.js";
import type { FinalReply, ReplyStream } from "./reply.js";
import { RequestGate, type GatePlace } from "./request-gate.js";
import { prefixedId, type ChatLocation, type ChatRequest, type CommandInvocation } from "./request.js";
import { SafetyScreener } from "./safety/safety-screener.js";
import { ModelSelector } from "./selection/model-selector.js";
import { QuotaQueue, type ComingMessage } from "./selection/quota-queue.js";
import type { CorePorts, CoreServices, ModelServices } from "./services.js";

export interface ModelStatusRow {
  readonly model: string;
  /** The roles whose chains name it; empty for a live model that answers beyond the chains. */
  readonly roles: readonly string[];
  readonly live: boolean;
  /** What is left of its quota; undefined for a model that is gone. */
  readonly quota: QuotaLeft | undefined;
  readonly note?: string;
}

/** The web searches of one user today, and what the search systems have left of their day. */
export interface WebSearchToday {
  readonly used: number;
  /** SEARCH_DAILY_PER_USER: searches each user may make a day; 0 for no limit. */
  readonly dailyShare: number;
  /** Requests the live search systems have left today, together; 0 when none is live. */
  readonly systemsRequestsLeft: number;
}

/** Whether a change to a chat's shared settings went through. */
export type SettingsChange = "changed" | "needs_admin";

/**
 * Everything adapters, commands and the CLI may ask of the core. Adapters hand it a request and
 * a reply surface; the core runs the request (or its command), shows the reply on the surface
 * and remembers which messages carry it. Nothing flows back the other way.
 */
export interface Mami {
  /**
   * Runs one addressed message or command and presents the reply on the surface. Never throws
   * for the request's own failures. Requests of one conversation, and of one user, run one at a
   * time in the order `receive` was called (call it in arrival order); a user with too many
   * waiting is told at once to wait. With `signal` aborted, a request still waiting for its turn
   * ends with the restart note.
   */
  receive(request: ChatRequest, surface: ReplySurface, options?: { readonly signal?: AbortSignal }): Promise<FinalReply>;
  /** The reply events for a request, for callers that render them themselves (the CLI, commands). */
  reply(request: ChatRequest, options?: { readonly signal?: AbortSignal }): ReplyStream;
  /** Forgets the conversation (in a group, every conversation of the chat up to now: admins only). */
  resetConversation(request: ChatRequest): Promise<SettingsChange>;
  getPin(request: ChatRequest): Promise<ConversationPin | undefined>;
  /** Pins a role or model for the chat (in a group: admins only); undefined unpins. */
  setPin(request: ChatRequest, pin: ConversationPin | undefined): Promise<SettingsChange>;
  /** What a command's option offers while the user types (Discord autocomplete); nothing for someone not allowed. */
  optionChoices(request: ChatRequest, commandName: string, optionName: string): readonly OptionChoice[];
  /** Model ids that a conversation may pin (every live answer model). */
  pinnableModels(): readonly string[];
  modelStatus(): Promise<readonly ModelStatusRow[]>;
  /** Usage of the request's author today. */
  usageToday(request: ChatRequest): Promise<{ readonly tokens: number; readonly requests: number }>;
  /** The request's author's web searches today, and the search systems' day. */
  webSearchToday(request: ChatRequest): Promise<WebSearchToday>;
  /** Requests waiting in the quota queue now. */
  queueLength(): number;
  /**
   * A group message the bot saw but is not asked to answer: kept for a while (GROUP_CONTEXT_*),
   * so a later mention can ask about it. Adapters call it for every such message, in order.
   */
  observeGroupMessage(message: GroupMessage): Promise<void>;
  /**
   * How many earlier messages the core would like to see of a group before answering a mention
   * there: 0 when it has a record of the chat already (or group context is off). An adapter that
   * can read a channel's history (Discord) hands that many to `observeGroupMessage` first.
   */
  groupContextWanted(location: ChatLocation): Promise<number>;
  /** The chat's persona (its own system prompt), if it has one. */
  getPersona(request: ChatRequest): Promise<string | undefined>;
  /** Sets the chat's persona (in a group: admins only), screened like a message; undefined removes it. */
  setPersona(request: ChatRequest, persona: string | undefined): Promise<PersonaChange>;
  /** The author's requests and tokens today, the budget left and when it renews. */
  usageReport(request: ChatRequest): Promise<UsageReport>;
  /** Today's figures of the whole bot, for ADMIN_USERS (and the terminal's operator) only. */
  statsToday(request: ChatRequest): Promise<DailyStats | "needs_admin">;
  /**
   * Stops the document readings under way in the request's chat: the asker's own, or everyone's
   * for someone who may change the chat's settings. Returns the names of the documents stopped.
   */
  cancelReadings(request: ChatRequest): readonly string[];
}

/** A value an option offers, and how it is shown. */
export interface OptionChoice {
  readonly name: string;
  readonly value: string;
}

/** The chat commands (defined in commands/), run by the core once access is checked. */
export interface ChatCommands {
  run(mami: Mami, request: ChatRequest, command: CommandInvocation): ReplyStream;
  /** The choices of a command's option, computed now (live models change); empty when it has none. */
  choices(mami: Mami, commandName: string, optionName: string): readonly OptionChoice[];
}

export interface MamiOptions {
  readonly commands: ChatCommands;
  /** Ask Groq which models are live at start (default); tests of start-up without the list turn it off. */
  readonly checkLiveModels?: boolean;
  /** Told about every final reply (metrics); must not throw. */
  readonly observeReply?: (reply: FinalReply, durationMs: number) => void;
}

/** How long start-up waits for Groq's model list before going on with the configured chains. */
const modelListTimeoutMs = 5_000;

/** Errors of a command or a button concern only whoever used it. */
function onlyForAsker(request: ChatRequest): boolean {
  return request.addressedBy === "command" || request.addressedBy === "button";
}

/**
 * `/cancel` stops a reading that is its user's request under way: waiting for that request's turn
 * to end would wait for what it means to stop. It only flips a flag, so it takes no place.
 */
function needsNoTurn(request: ChatRequest): boolean {
  return request.command?.name === "cancel";
}

async function* finalOnly(reply: FinalReply): ReplyStream {
  yield { type: "final", reply };
}

class MamiCore implements Mami {
  private readonly gate: RequestGate;
  private readonly community: CommunityFeatures;

  constructor(
    private readonly services: CoreServices,
    private readonly options: MamiOptions,
  ) {
    this.gate = new RequestGate({ maxRunning: services.config.maxConcurrentRequests, maxWaitingPerUser: services.config.maxWaitingPerUser });
    this.community = new CommunityFeatures(services);
  }

  /**
   * Nothing is awaited before the request's place in the gate is taken, so the order in which
   * an adapter calls `receive` is the order its user's requests are answered in.
   */
  async receive(request: ChatRequest, surface: ReplySurface, options: { readonly signal?: AbortSignal } = {}): Promise<FinalReply> {
    // Checked before the gate: someone not allowed takes no place in it.
    const refused = refuseAccess(request, this.services.config);
    if (refused !== undefined) return this.presentAtOnce(request, refused, surface);
    if (needsNoTurn(request)) return this.present(request, surface, this.reply(request, options));
    const place = this.gate.enter(prefixedId(request.location.platform, request.author.id), options.signal);
    if (place === undefined) return this.presentAtOnce(request, oneAtATimeReply(wordingOf(request)), surface);
    // Until its turn comes, the estimates of later messages count it (QuotaQueue.expectLater).
    const coming = this.services.queue.expectLater(request.receivedAt ?? this.services.clock.now());
    try {
      place.setConversation(await this.conversationOf(request));
      return await this.present(request, surface, this.afterItsTurn(request, { place, coming }, options.signal));
    } finally {
      // `afterItsTurn` stops expecting it as soon as its turn comes; this covers a reply that never got that far.
      coming.stop();
      place.leave();
    }
  }

  /**
   * The reply once the request's turn in the gate comes. A message that waits for an earlier one
   * (its conversation's, its user's) while every model is taken is shown at once that it is
   * queued, and about how long, rather than wait in silence for its turn. Whether it waits too
   * long is told when its turn comes, once its route (and so its cost) is known: judged before,
   * from what a typical message costs, it told users to retry whom their turn would have
   * answered. See docs/architecture.md, "Capacity".
   */
  private async *afterItsTurn(request: ChatRequest, waiting: { readonly place: GatePlace; readonly coming: ComingMessage }, signal: AbortSignal | undefined): ReplyStream {
    const { place, coming } = waiting;
    const words = wordingOf(request);
    try {
      if (place.waiting && request.command === undefined) {
        const waitMs = coming.estimateWaitMs(queueWaitWithin(this.services.config.maxQueueWaitMs));
        if (waitMs !== undefined && waitMs > 0) yield { type: "queued", waitMs, notice: queuedNotice(waitMs, words) };
      }
      await place.turn;
    } catch (error) {
      if (signal?.aborted === true) {
        yield* this.recordedAtOnce(request, stoppedReply([], words));
        return;
      }
      throw error;
    } finally {
      coming.stop();
    }
    yield* this.reply(request, { ...(signal === undefined ? {} : { signal }) });
  }

  private async present(request: ChatRequest, surface: ReplySurface, replies: ReplyStream): Promise<FinalReply> {
    const presented = await presentReply(replies, surface, this.services.clock, { errorsOnlyForAsker: onlyForAsker(request) });
    // Before the next message of the conversation runs: a reply to this answer must find it.
    await this.rememberReply(request, presented.messageIds);
    return presented.final;
  }

  /**
   * A reply that needs no turn: a refusal, or "one at a time". A message's is counted in the
   * day's figures (told busy, refused) as the pipeline's replies are; a command's is not.
   */
  private async presentAtOnce(request: ChatRequest, reply: FinalReply, surface: ReplySurface): Promise<FinalReply> {
    const presented = await presentReply(this.recordedAtOnce(request, reply), surface, this.services.clock, { errorsOnlyForAsker: onlyForAsker(request) });
    return presented.final;
  }

  /** A reply given without running the request, counted as the pipeline's are (see `presentAtOnce`). */
  private recordedAtOnce(request: ChatRequest, reply: FinalReply): ReplyStream {
    this.options.observeReply?.(reply, 0);
    return request.command === undefined ? recordingOutcome(request, finalOnly(reply), this.services) : finalOnly(reply);
  }

  /** Which conversation the gate serializes the request in; the whole chat when the store cannot say. */
  private async conversationOf(request: ChatRequest): Promise<string> {
    try {
      return await resolveConversationId(request, this.services.store);
    } catch (error) {
      this.services.logger.warn({ error: error instanceof Error ? error.message : String(error) }, "could not look up the conversation; serializing the whole chat");
      return locationKey(request);
    }
  }

  optionChoices(request: ChatRequest, commandName: string, optionName: string): readonly OptionChoice[] {
    if (refuseAccess(request, this.services.config) !== undefined) return [];
    return this.options.commands.choices(this, commandName, optionName);
  }

  async *reply(request: ChatRequest, options: { readonly signal?: AbortSignal } = {}): ReplyStream {
    const startedAt = this.services.clock.now();
    for await (const event of this.runRequest(request, options.signal)) {
      if (event.type === "final") this.options.observeReply?.(event.reply, this.services.clock.now() - startedAt);
      yield event;
    }
  }

  /** A command runs once access is checked; anything else is answered by the pipeline. */
  private async *runRequest(request: ChatRequest, signal: AbortSignal | undefined): ReplyStream {
    if (request.command === undefined) {
      yield* recordingOutcome(request, answerRequest(request, this.services, signal), this.services);
      return;
    }
    const refused = refuseAccess(request, this.services.config);
    if (refused !== undefined) {
      yield { type: "final", reply: refused };
      return;
    }
    yield* this.options.commands.run(this, request, request.command);
  }

  /** In a group, a reply to any of the bot's messages continues the conversation they answered. */
  private async rememberReply(request: ChatRequest, botMessageIds: readonly string[]): Promise<void> {
    if (request.location.kind !== "group" || botMessageIds.length === 0) return;
    const conversationId = await resolveConversationId(request, this.services.store);
    await rememberReplyMessages(request, conversationId, botMessageIds, this.services.store);
  }

  /** A private chat is its owner's; a group's settings are its admins' (the chat's own and ADMIN_USERS). */
  private mayChangeSettings(request: ChatRequest): boolean {
    return request.location.kind === "private" || request.author.isChatAdmin === true || isAdmin(request, this.services.config);
  }

  /**
   * Forgets the conversation. In a group a command is not part of any reply thread, so `/reset`
   * there forgets every conversation of the chat (or thread) up to now.
   */
  async resetConversation(request: ChatRequest): Promise<SettingsChange> {
    const { store, clock } = this.services;
    if (!this.mayChangeSettings(request)) return "needs_admin";
    if (request.location.kind === "private") await forgetHistory(store, await resolveConversationId(request, store));
    else await Promise.all([saveResetTime(store, locationKey(request), clock.now()), this.community.forgetGroupContext(request)]);
    return "changed";
  }

  async getPin(request: ChatRequest): Promise<ConversationPin | undefined> {
    return (await loadSettings(this.services.store, locationKey(request))).pin;
  }

  async setPin(request: ChatRequest, pin: ConversationPin | undefined): Promise<SettingsChange> {
    if (!this.mayChangeSettings(request)) return "needs_admin";
    await savePin(this.services.store, locationKey(request), pin);
    return "changed";
  }

  pinnableModels(): readonly string[] {
    return this.services.registry.answerModels();
  }

  async modelStatus(): Promise<readonly ModelStatusRow[]> {
    const { registry, clock } = this.services;
    const now = clock.now();
    return registry.allModels().map((model): ModelStatusRow => {
      const state = registry.state(model);
      const roles = registry.rolesOf(model);
      if (state.isGone) return { model, roles, live: false, quota: undefined };
      const quota = state.describe(now);
      const note = registry.isUnlisted(model) ? ["live, in no chain: answers when the chains are spent", quota.note].filter((part) => part !== undefined).join("; ") : quota.note;
      return { model, roles, live: true, quota, ...(note === undefined ? {} : { note }) };
    });
  }

  queueLength(): number {
    return this.services.queue.length;
  }

  async webSearchToday(request: ChatRequest): Promise<WebSearchToday> {
    const { registry, store, clock, config } = this.services;
    const now = clock.now();
    const used = await searchesToday(store, prefixedId(request.location.platform, request.author.id), now);
    const systemsRequestsLeft = registry.chain("search").reduce((left, model) => left + registry.state(model).describe(now).requestsPerDayRemaining, 0);
    return { used, dailyShare: config.searchDailyPerUser, systemsRequestsLeft };
  }

  observeGroupMessage(message: GroupMessage): Promise<void> {
    return this.community.observeGroupMessage(message);
  }

  groupContextWanted(location: ChatLocation): Promise<number> {
    return this.community.groupContextWanted(location);
  }

  getPersona(request: ChatRequest): Promise<string | undefined> {
    return this.community.getPersona(request);
  }

  async setPersona(request: ChatRequest, persona: string | undefined): Promise<PersonaChange> {
    if (!this.mayChangeSettings(request)) return "needs_admin";
    return this.community.setPersona(request, persona);
  }

  usageReport(request: ChatRequest): Promise<UsageReport> {
    return this.community.usageReport(request);
  }

  async statsToday(request: ChatRequest): Promise<DailyStats | "needs_admin"> {
    // The figures span every chat and user: the bot's operators', not a group's admins'.
    if (request.location.platform !== "cli" && !isAdmin(request, this.services.config)) return "needs_admin";
    return this.community.statsToday();
  }

  cancelReadings(request: ChatRequest): readonly string[] {
    const mayStopOthers = request.location.kind !== "private" && this.mayChangeSettings(request);
    return this.services.readings.cancel(locationKey(request), request.author.id, mayStopOthers);
  }

  async usageToday(request: ChatRequest): Promise<{ readonly tokens: number; readonly requests: number }> {
    const usage = await loadUsage(this.services.store, prefixedId(request.location.platform, request.author.id), this.services.clock.now());
    return { tokens: usage.tokens, requests: usage.requests };
  }
}

/**
 * Builds the core: the one place that composes it. Asks Groq which models are live and prunes
 * the rest from every chain (one warning each); if that call fails, keeps the chains and learns
 * at run time instead.
 */
export async function createMami(config: MamiConfig, ports: CorePorts, options: MamiOptions): Promise<Mami> {
  const registry = new ModelRegistry(new ModelCatalog(), config.chains, ports.logger, ports.clock.now(), config.extraModels === "auto");
  if (options.checkLiveModels !== false) {
    try {
      registry.applyLiveModels(await ports.client.listModels(AbortSignal.timeout(modelListTimeoutMs)));
    } catch (error) {
      ports.logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        "could not list Groq's live models; keeping the configured chains and learning at run time",
      );
    }
  }
  // One process knows all it learned; several share their quota, and what answers use, through a shared store (Redis).
  const sharing = ports.store.sharedQuota === undefined ? undefined : new SharedReservations(ports.store.sharedQuota, ports.clock, ports.logger);
  if (sharing !== undefined) registry.shareThrough(sharing);
  const selector = new ModelSelector(registry);
  const modelServices: ModelServices = {
    config,
    client: ports.client,
    registry,
    selector,
    queue: new QuotaQueue(selector, registry, ports.clock),
    budgets: sharing === undefined ? new CompletionBudgets() : new SharedCompletionBudgets(sharing),
    clock: ports.clock,
    logger: ports.logger,
  };
  // Several processes on Redis keep answering through an outage of it (scale-out/outage-tolerant-store.ts).
  const store = ports.store.sharedAcrossProcesses ? new OutageTolerantStore(ports.store, ports.logger) : ports.store;
  await LearningMemory.load(store, modelServices.budgets, registry, ports.logger);
  return new MamiCore({ ...ports, store, ...modelServices, safety: new SafetyScreener(modelServices), readings: new ReadingsInProgress() }, options);
}
