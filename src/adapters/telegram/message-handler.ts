import type { Context } from "grammy";
import { albumAsOneMessage } from "./album-message.js";
import { addressingOf, leadingCommand, textAndEntities, type BotIdentity } from "./addressing.js";
import { runCommandLine } from "./commands.js";
import type { FileDownloader } from "./file-download.js";
import { albumOf } from "./media-groups.js";
import { presentReply, type ReplyPresenter } from "./present-reply.js";
import { toChatRequest } from "./to-chat-request.js";

export interface MessageHandlerParts {
  readonly presenter: ReplyPresenter;
  readonly bot: BotIdentity;
  readonly download: FileDownloader;
}

/**
 * Answers a message that is addressed to the bot and ignores every other one; an album counts as
 * one message. A typed command runs through the shared command definitions; anything else goes
 * to the core. The adapter only translates: what to say is the core's (and the commands') decision.
 */
export function createMessageHandler(parts: MessageHandlerParts): (context: Context) => Promise<void> {
  return async (context) => {
    if (context.message === undefined) return;
    const album = albumOf(context);
    const message = album === undefined ? context.message : albumAsOneMessage(album);
    const bot = parts.bot;
    const addressedBy = addressingOf(message, bot);
    if (addressedBy === undefined) return;
    const request = toChatRequest(message, addressedBy, bot, parts.download, album ?? [message]);
    const isCommand = addressedBy === "command";
    const stream = isCommand
      ? runCommandLine(parts.presenter.core, request, textAndEntities(message).text)
      : parts.presenter.core.handle(request);
    await presentReply(
      parts.presenter,
      request,
      stream,
      {
        chatId: message.chat.id,
        isPrivateChat: message.chat.type === "private",
        messageThreadId: request.location.kind === "thread" ? message.message_thread_id : undefined,
        replyToMessageId: message.message_id,
      },
      // A command's notice is instant; "typing" is for the core's work.
      { showTypingAtOnce: !isCommand || leadingCommand(message, bot)?.name === "ask" },
    );
  };
}
