import { locationKey } from "./conversation/conversation-key.js";
import { loadDailyStats, type DailyStats } from "./conversation/daily-stats.js";
import { forgetGroupMessages, loadGroupMessages, recordGroupMessages, recordedFromObserved, type GroupMessage } from "./conversation/group-context.js";
import { normalizedPersona, personaProblem } from "./conversation/persona.js";
import { loadSettings, savePersona } from "./conversation/settings.js";
import { usageReport, type UsageReport } from "./conversation/usage-report.js";
import { wordingOf } from "./language/wording.js";
import { personaRefusal } from "./pipeline/screen-persona.js";
import { prefixedId, type ChatLocation, type ChatRequest } from "./request.js";
import type { CoreServices } from "./services.js";

/** Whether a persona was set: changed, refused to a non-admin, or unusable (too long, unsafe) with the words why. */
export type PersonaChange = "changed" | "needs_admin" | { readonly unusable: string };

/**
 * The core's side of the community features (group context, personas, /usage, /stats), kept out
 * of mami.ts so that it stays the composition and the admin rule. mami.ts decides who may change
 * what; this does it.
 */
export class CommunityFeatures {
  constructor(private readonly services: CoreServices) {}

  /**
   * Kept only in chats where someone may be answered: with allow-lists set, a listed chat, or a
   * listed user's words, so the bot does not keep what strangers write in chats it serves no one in.
   */
  observeGroupMessage(message: GroupMessage): Promise<void> {
    const { config, store, clock } = this.services;
    if (message.location.kind === "private" || !this.mayKeep(message)) return Promise.resolve();
    return recordGroupMessages(store, locationKey(message), [recordedFromObserved(message)], config.groupContext, clock.now());
  }

  private mayKeep(message: GroupMessage): boolean {
    const { allowedUsers, allowedChats, adminUsers } = this.services.config;
    if (allowedUsers.length === 0 && allowedChats.length === 0) return true;
    const { platform, chatId } = message.location;
    if (allowedChats.includes(prefixedId(platform, chatId))) return true;
    const author = prefixedId(platform, message.author.id);
    return allowedUsers.includes(author) || adminUsers.includes(author);
  }

  async groupContextWanted(location: ChatLocation): Promise<number> {
    const { config, store, clock } = this.services;
    const { maxMessages, maxTokens, keptForMs } = config.groupContext;
    if (location.kind === "private" || maxMessages <= 0 || maxTokens <= 0) return 0;
    const recorded = await loadGroupMessages(store, locationKey({ location }), clock.now(), keptForMs);
    return recorded.length === 0 ? maxMessages : 0;
  }

  forgetGroupContext(request: ChatRequest): Promise<void> {
    return forgetGroupMessages(this.services.store, locationKey(request));
  }

  async getPersona(request: ChatRequest): Promise<string | undefined> {
    return (await loadSettings(this.services.store, locationKey(request))).persona;
  }

  /** The caller has checked that the author may change the chat's settings. */
  async setPersona(request: ChatRequest, persona: string | undefined): Promise<PersonaChange> {
    if (persona === undefined) {
      await savePersona(this.services.store, locationKey(request), undefined);
      return "changed";
    }
    const words = wordingOf(request);
    const problem = personaProblem(persona, words) ?? (await personaRefusal(normalizedPersona(persona), this.services, words));
    if (problem !== undefined) return { unusable: problem };
    await savePersona(this.services.store, locationKey(request), normalizedPersona(persona));
    return "changed";
  }

  usageReport(request: ChatRequest): Promise<UsageReport> {
    const { store, clock, config } = this.services;
    return usageReport(store, prefixedId(request.location.platform, request.author.id), clock.now(), config.userDailyTokens);
  }

  statsToday(): Promise<DailyStats> {
    return loadDailyStats(this.services.store, this.services.clock.now());
  }
}
