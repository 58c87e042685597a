import { locationKey, rememberReplyMessages, resolveConversationId } from "../conversation/conversation-key.js";
import { forgetHistory } from "../conversation/history.js";
import { loadSettings, savePin, saveResetTime } from "../conversation/settings.js";
import { loadUsage } from "../conversation/usage.js";
import type { CoreServices } from "../core-services.js";
import type { ConversationPin, MamiCore, ModelStatusRow } from "../mami-core.js";
import type { ReplyStream } from "../reply.js";
import { prefixedId, type ChatRequest } from "../request.js";
import { answerRequest } from "./answer-request.js";

/** The core as adapters, commands and the CLI see it. */
export class MamiPipeline implements MamiCore {
  constructor(readonly services: CoreServices) {}

  async *handle(request: ChatRequest, options?: { readonly signal?: AbortSignal }): ReplyStream {
    const startedAt = this.services.clock.now();
    for await (const event of answerRequest(request, this.services, options?.signal)) {
      if (event.type === "final") this.services.observeReply?.(event.reply, this.services.clock.now() - startedAt);
      yield event;
    }
  }

  async rememberReply(request: ChatRequest, botMessageIds: readonly string[]): Promise<void> {
    if (request.location.kind !== "group" || botMessageIds.length === 0) return;
    const conversationId = await resolveConversationId(request, this.services.store);
    await rememberReplyMessages(request, conversationId, botMessageIds, this.services.store);
  }

  /**
   * Forgets the conversation. In a group a command is not part of any reply thread, so `/reset`
   * there forgets every conversation of the chat (or thread) up to now.
   */
  async resetConversation(request: ChatRequest): Promise<void> {
    const { store, clock } = this.services;
    if (request.location.kind === "group" && request.replyTo?.fromBot !== true) {
      await saveResetTime(store, locationKey(request), clock.now());
      return;
    }
    await forgetHistory(store, await resolveConversationId(request, store));
  }

  async getPin(request: ChatRequest): Promise<ConversationPin | undefined> {
    return (await loadSettings(this.services.store, locationKey(request))).pin;
  }

  setPin(request: ChatRequest, pin: ConversationPin | undefined): Promise<void> {
    return savePin(this.services.store, locationKey(request), pin);
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
      if (state.isGone) return { model, roles, live: false, requestsPerDayRemaining: undefined, tokensPerMinuteRemaining: undefined, availableInMs: 0 };
      const described = state.describe(now);
      return {
        model,
        roles,
        live: true,
        requestsPerDayRemaining: described.requestsPerDayRemaining,
        tokensPerMinuteRemaining: described.tokensPerMinuteRemaining,
        availableInMs: described.availableInMs,
        ...(described.note === undefined ? {} : { note: described.note }),
      };
    });
  }

  async usageToday(request: ChatRequest): Promise<{ readonly tokens: number; readonly requests: number }> {
    const usage = await loadUsage(this.services.store, prefixedId(request.location.platform, request.author.id), this.services.clock.now());
    return { tokens: usage.tokens, requests: usage.requests };
  }
}
