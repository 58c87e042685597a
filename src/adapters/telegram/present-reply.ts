import type { Api } from "grammy";
import type { MamiCore } from "../../core/mami-core.js";
import type { Clock } from "../../core/ports/clock.js";
import type { Logger } from "../../core/ports/logger.js";
import { presentLiveReply } from "../../core/rendering/live-reply.js";
import type { LiveReplyOptions } from "../../core/rendering/reply-surface.js";
import type { ReplyStream } from "../../core/reply.js";
import type { ChatRequest } from "../../core/request.js";
import type { ChoiceKeyboards } from "./choice-keyboard.js";
import { TelegramSurface, type DraftSupport, type ReplyTarget } from "./telegram-surface.js";

/** Telegram's limits: 4096 characters a message, and about one edit a second per chat. */
export const telegramLiveReplyOptions: LiveReplyOptions = {
  maxPartLength: 4096,
  minEditIntervalMs: 1000,
  workingIntervalMs: 4000,
};

export interface ReplyPresenter {
  readonly api: Api;
  readonly core: MamiCore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly keyboards: ChoiceKeyboards;
  readonly draftSupport: DraftSupport;
}

/**
 * Shows one reply stream in the chat (streamed, split, rendered by the shared presenter), adds
 * the buttons of a reply that offers choices, and tells the core which messages carry the reply
 * so that a reply to any of them continues the conversation.
 */
export async function presentReply(
  presenter: ReplyPresenter,
  request: ChatRequest,
  stream: ReplyStream,
  target: ReplyTarget,
  options: { readonly showTypingAtOnce: boolean },
): Promise<void> {
  const surface = new TelegramSurface(presenter.api, target, presenter.draftSupport, presenter.clock, presenter.logger);
  // Not awaited: "typing" should appear while the core starts, not delay it.
  if (options.showTypingAtOnce) void surface.showWorking();
  const { final, messageIds } = await presentLiveReply(stream, surface, telegramLiveReplyOptions, presenter.clock);
  await surface.finish();
  const shownMessageIds = surface.messageIdsFor(messageIds);
  const lastMessageId = shownMessageIds.at(-1);
  if (final.choices !== undefined && final.choices.length > 0 && lastMessageId !== undefined) {
    await surface.attachKeyboard(lastMessageId, presenter.keyboards.keyboard(final.choices));
  }
  await presenter.core.rememberReply(request, shownMessageIds);
}
