import type { Api } from "grammy";
import type { Clock } from "../../core/ports/clock.js";
import { timeoutSignal } from "./timeout-signal.js";

/** A promotion or demotion counts within this long; a flood of commands costs one lookup. */
const rememberedForMs = 30_000;
/** A failed lookup is tried again sooner, but not for every command of a flood. */
const failureRememberedForMs = 5_000;
/** Answers kept at most; the oldest go first. */
const maxRemembered = 10_000;
/** A lookup that takes longer counts as "no": a command must not hold its chat's intake for long. */
const lookupTimeoutMs = 5_000;

/**
 * Whether a user administers a chat, as Telegram says (getChatMember): a group's settings (its
 * pin, its history) are its admins' to change. Unknown counts as no. Answers are remembered
 * briefly, since commands in a group are looked up before the next update of the chat is taken.
 */
export class ChatAdministrators {
  private readonly remembered = new Map<string, { readonly isAdministrator: boolean; readonly until: number }>();

  constructor(
    private readonly api: Api,
    private readonly clock: Clock,
  ) {}

  async isAdministrator(chatId: number, userId: number | undefined): Promise<boolean> {
    if (userId === undefined) return false;
    const key = `${chatId}:${userId}`;
    const known = this.remembered.get(key);
    if (known !== undefined && known.until > this.clock.now()) return known.isAdministrator;
    const answer = await this.lookUp(chatId, userId);
    this.remembered.delete(key);
    if (this.remembered.size >= maxRemembered) {
      const oldest = this.remembered.keys().next();
      if (oldest.done !== true) this.remembered.delete(oldest.value);
    }
    const isAdministrator = answer ?? false;
    this.remembered.set(key, { isAdministrator, until: this.clock.now() + (answer === undefined ? failureRememberedForMs : rememberedForMs) });
    return isAdministrator;
  }

  /** Undefined when Telegram could not say. */
  private async lookUp(chatId: number, userId: number): Promise<boolean | undefined> {
    try {
      const member = await this.api.getChatMember(chatId, userId, timeoutSignal(lookupTimeoutMs));
      return member.status === "creator" || member.status === "administrator";
    } catch {
      return undefined;
    }
  }
}
