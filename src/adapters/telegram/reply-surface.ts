import type { Api } from "grammy";
import type { Clock } from "../../core/ports/clock.js";
import type { Logger } from "../../core/ports/logger.js";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { PartOptions, ReplySurface, SurfaceLimits } from "../../core/presentation/reply-surface.js";
import type { ReplyChoice } from "../../core/reply.js";
import type { ChoiceKeyboards } from "./choice-keyboard.js";
import type { DraftSupport } from "./draft-support.js";
import { draftRefusalOf, isNotModified, needsPlainText } from "./errors.js";
import { markdownToTelegramHtml } from "./telegram-html.js";

/** Telegram's limits: 4096 characters a message, and about one edit a second per chat. */
export const telegramLimits: SurfaceLimits = {
  maxPartLength: 4096,
  minEditIntervalMs: 1000,
  workingIntervalMs: 4000,
};

/** Where a reply goes: the chat, its forum topic if any, the user's message it answers, and who asked. */
export interface ReplyTarget {
  readonly chatId: number;
  readonly isPrivateChat: boolean;
  readonly messageThreadId: number | undefined;
  readonly replyToMessageId: number;
  /** Buttons under the reply act for this user only. */
  readonly askerId: string;
}

/**
 * Telegram shows "typing" for about five seconds. Two calls within this window are one too many
 * (the adapter's own at the start and the presenter's first); the presenter renews every 4 s.
 */
const typingDuplicateWindowMs = 3000;
const draftPrefix = "draft:";

interface DraftPart {
  readonly draftId: number;
  markdown: string;
  /** Set once the draft became a real message. */
  messageId: number | undefined;
}

/**
 * Shows a reply in a Telegram chat. Markdown becomes Telegram HTML; HTML that Telegram cannot
 * parse goes again as the same text, plain. In private chats a part that is still streaming is a
 * draft (sendMessageDraft: no edits, no edit limits) and becomes a real message when it is final,
 * when the next part starts, or when it comes to stand for a while (`PartOptions.lasting`: a
 * draft is dropped after a short time to live, and as soon as another message lands in the
 * chat); elsewhere, and where drafts are unavailable, parts are sent and then edited. Part ids
 * handed to the presenter are "draft:N" for drafts; `finish` lands every part and gives the real
 * message ids.
 */
export class TelegramReplySurface implements ReplySurface {
  readonly limits = telegramLimits;
  readonly showsChoicesAsButtons = true;
  private lastTypingAt = Number.NEGATIVE_INFINITY;
  private readonly drafts = new Map<string, DraftPart>();

  constructor(
    private readonly api: Api,
    private readonly target: ReplyTarget,
    private readonly draftSupport: DraftSupport,
    private readonly keyboards: ChoiceKeyboards,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async showWorking(): Promise<void> {
    const now = this.clock.now();
    if (now - this.lastTypingAt < typingDuplicateWindowMs) return;
    this.lastTypingAt = now;
    try {
      await this.api.sendChatAction(this.target.chatId, "typing", this.threadOptions());
    } catch (error) {
      // "typing" is a courtesy; the reply itself must not fail because of it.
      this.logger.debug({ error: String(error), chatId: this.target.chatId }, "sendChatAction failed");
    }
  }

  async sendPart(markdown: string, options: PartOptions): Promise<string> {
    await this.landOpenDrafts();
    const keyboard = this.keyboardFor(options);
    // A draft carries no buttons: a part with buttons is a real message from the start.
    if (this.mayBeDraft(options, keyboard) && this.target.isPrivateChat && this.draftSupport.availableIn(this.target.chatId)) {
      const draftId = this.draftSupport.takeDraftId();
      if (await this.sendDraft(draftId, markdown)) {
        const partId = `${draftPrefix}${draftId}`;
        this.drafts.set(partId, { draftId, markdown, messageId: undefined });
        return partId;
      }
    }
    return String(await this.sendMessage(markdown, keyboard));
  }

  /** Telegram drops the buttons of a message whose edit does not repeat them: an edit without choices removes them. */
  async editPart(partId: string, markdown: string, options: PartOptions): Promise<void> {
    const keyboard = this.keyboardFor(options);
    const draft = this.drafts.get(partId);
    if (draft === undefined) {
      await this.editMessage(Number(partId), markdown, keyboard);
      return;
    }
    draft.markdown = markdown;
    if (draft.messageId !== undefined) {
      await this.editMessage(draft.messageId, markdown, keyboard);
      return;
    }
    if (this.mayBeDraft(options, keyboard) && (await this.sendDraft(draft.draftId, markdown))) return;
    try {
      draft.messageId = await this.sendMessage(markdown, keyboard);
    } catch (error) {
      // The presenter sends the text again as a new part; landing this draft too would repeat it.
      this.drafts.delete(partId);
      throw error;
    }
  }

  /** A part that passes (still streaming, without buttons) may be a draft; one that is final or stands a while may not. */
  private mayBeDraft(options: PartOptions, keyboard: InlineKeyboardMarkup | undefined): boolean {
    return !options.final && options.lasting !== true && keyboard === undefined;
  }

  async deletePart(partId: string): Promise<void> {
    // A draft that never became a message vanishes by itself; it only must not be landed later.
    if (partId.startsWith(draftPrefix)) {
      const messageId = this.drafts.get(partId)?.messageId;
      this.drafts.delete(partId);
      if (messageId !== undefined) await this.api.deleteMessage(this.target.chatId, messageId);
      return;
    }
    await this.api.deleteMessage(this.target.chatId, Number(partId));
  }

  /**
   * Turns every draft still showing into a real message (a draft disappears by itself), and puts
   * the choices as buttons under the last message, for the asker only.
   */
  async finish(partIds: readonly string[], choices: readonly ReplyChoice[]): Promise<readonly string[]> {
    await this.landOpenDrafts();
    const messageIds = partIds.map((partId) => String(this.drafts.get(partId)?.messageId ?? partId));
    const last = messageIds.at(-1);
    if (choices.length > 0 && last !== undefined) {
      const keyboard = this.keyboards.keyboard(choices, this.target.askerId);
      await this.api.editMessageReplyMarkup(this.target.chatId, Number(last), { reply_markup: keyboard });
    }
    return messageIds;
  }

  private async landOpenDrafts(): Promise<void> {
    for (const draft of this.drafts.values()) {
      if (draft.messageId === undefined) draft.messageId = await this.sendMessage(draft.markdown);
    }
  }

  /** Buttons for a part still under way (a reading's "Stop reading"), for the asker only. */
  private keyboardFor(options: PartOptions): InlineKeyboardMarkup | undefined {
    if (options.final || options.choices === undefined || options.choices.length === 0) return undefined;
    return this.keyboards.keyboard(options.choices, this.target.askerId);
  }

  private threadOptions(): { message_thread_id?: number } {
    return this.target.messageThreadId === undefined ? {} : { message_thread_id: this.target.messageThreadId };
  }

  private async sendMessage(markdown: string, keyboard?: InlineKeyboardMarkup): Promise<number> {
    const common = {
      ...this.threadOptions(),
      reply_parameters: { message_id: this.target.replyToMessageId, allow_sending_without_reply: true },
      ...(keyboard === undefined ? {} : { reply_markup: keyboard }),
    };
    try {
      const sent = await this.api.sendMessage(this.target.chatId, markdownToTelegramHtml(markdown), { ...common, parse_mode: "HTML" });
      return sent.message_id;
    } catch (error) {
      if (!needsPlainText(error)) throw error;
      this.logger.warn({ error: String(error), chatId: this.target.chatId }, "Telegram refused the HTML; sending plain text");
      const sent = await this.api.sendMessage(this.target.chatId, markdown, common);
      return sent.message_id;
    }
  }

  /** An edit that changes nothing is fine; any other failure is the presenter's to handle. */
  private async editMessage(messageId: number, markdown: string, keyboard?: InlineKeyboardMarkup): Promise<void> {
    try {
      await this.editOnce(messageId, markdown, keyboard);
    } catch (error) {
      if (!isNotModified(error)) throw error;
    }
  }

  private async editOnce(messageId: number, markdown: string, keyboard: InlineKeyboardMarkup | undefined): Promise<void> {
    const buttons = keyboard === undefined ? {} : { reply_markup: keyboard };
    try {
      await this.api.editMessageText(this.target.chatId, messageId, markdownToTelegramHtml(markdown), { parse_mode: "HTML", ...buttons });
    } catch (error) {
      if (!needsPlainText(error)) throw error;
      this.logger.warn({ error: String(error), chatId: this.target.chatId }, "Telegram refused the HTML edit; editing as plain text");
      await this.api.editMessageText(this.target.chatId, messageId, markdown, buttons);
    }
  }

  /** False when drafts turn out to be unavailable here; they are then not tried again where the refusal applies. */
  private async sendDraft(draftId: number, markdown: string): Promise<boolean> {
    try {
      try {
        await this.api.sendMessageDraft(this.target.chatId, draftId, markdownToTelegramHtml(markdown), { parse_mode: "HTML" });
      } catch (error) {
        if (!needsPlainText(error)) throw error;
        await this.api.sendMessageDraft(this.target.chatId, draftId, markdown);
      }
      return true;
    } catch (error) {
      const refusal = draftRefusalOf(error);
      if (refusal === undefined) throw error;
      this.draftSupport.refused(this.target.chatId, refusal);
      this.logger.info(
        { error: String(error), chatId: this.target.chatId, scope: refusal },
        refusal === "server" ? "sendMessageDraft is unavailable; streaming with message edits instead" : "sendMessageDraft refused in this chat; streaming with message edits there",
      );
      return false;
    }
  }
}
