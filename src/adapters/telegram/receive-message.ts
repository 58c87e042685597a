import type { Context } from "grammy";
import { addressingOf } from "./addressing.js";
import { albumAsOneMessage } from "./album-message.js";
import { albumOf } from "./media-groups.js";
import { observeGroupMessage } from "./observe-group-message.js";
import { TelegramReplySurface } from "./reply-surface.js";
import { answerInBackground, type TelegramContext } from "./telegram-context.js";
import { toChatRequest } from "./to-chat-request.js";

export type { TelegramContext } from "./telegram-context.js";

/**
 * Hands a message that is addressed to the bot to the core with a surface for its reply; every
 * other one goes to the core as group context. An album counts as one message. The adapter only translates: what
 * to say, and whether a command may run, is the core's decision. Returns once the core has
 * taken the request, not when it is answered.
 */
export function receiveMessage(telegram: TelegramContext): (context: Context) => Promise<void> {
  return async (context) => {
    if (context.message === undefined) return;
    const album = albumOf(context);
    const message = album === undefined ? context.message : albumAsOneMessage(album);
    const addressing = addressingOf(message, telegram.bot);
    if (addressing === undefined) {
      await observeGroupMessage(telegram.mami, message, telegram.clock, telegram.logger);
      return;
    }
    // Changing a group's settings needs its admins: asked of Telegram only for commands in groups.
    const isChatAdmin = addressing.command !== undefined && message.chat.type !== "private" ? await telegram.administrators.isAdministrator(message.chat.id, message.from?.id) : undefined;
    const request = toChatRequest(
      message,
      addressing,
      { bot: telegram.bot, download: telegram.download, receivedAt: telegram.arrivals.get(context) ?? telegram.clock.now(), ...(isChatAdmin === undefined ? {} : { isChatAdmin }) },
      album ?? [message],
    );
    const surface = new TelegramReplySurface(
      telegram.api,
      {
        chatId: message.chat.id,
        isPrivateChat: message.chat.type === "private",
        messageThreadId: request.location.kind === "thread" ? message.message_thread_id : undefined,
        replyToMessageId: message.message_id,
        askerId: request.author.id,
      },
      telegram.draftSupport,
      telegram.keyboards,
      telegram.clock,
      telegram.logger,
    );
    // "typing" comes from the core once the request's turn has come: a message waiting behind
    // its user's earlier one, or refused as one too many, shows none.
    answerInBackground(telegram, context, telegram.mami.receive(request, surface, { signal: telegram.inFlight.signal }));
  };
}
