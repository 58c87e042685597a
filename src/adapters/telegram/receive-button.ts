import type { Context } from "grammy";
import { wordingOf } from "../../core/language/wording.js";
import type { ChatRequest } from "../../core/request.js";
import { parseCommandLine } from "../../../commands/index.js";
import { TelegramReplySurface } from "./reply-surface.js";
import { answerInBackground, type TelegramContext } from "./telegram-context.js";
import { authorOf, localeOf, locationOf } from "./to-chat-request.js";

/**
 * A tap on a choice button (from `/model` without an argument): the button's command, run as
 * the user who tapped, in the chat and topic of the menu. Only buttons this process made count:
 * Telegram clients can send any callback data, so anything else is an out-of-date menu.
 */
export function receiveButton(telegram: TelegramContext): (context: Context) => Promise<void> {
  return async (context) => {
    const query = context.callbackQuery;
    const menu = query?.message;
    if (query?.data === undefined || menu === undefined) return;
    const choice = telegram.keyboards.choiceOf(query.data);
    const command = choice === undefined ? undefined : parseCommandLine(choice.command);
    if (choice === undefined || command === undefined) {
      await context.answerCallbackQuery({ text: wordingOf(localeOf(query?.from)).say("telegram.outdatedMenu") });
      return;
    }
    // Answered at once: Telegram shows a spinner on the button until it is.
    await context.answerCallbackQuery();
    const location = locationOf(menu.chat, "is_topic_message" in menu ? menu : undefined);
    const isChatAdmin = menu.chat.type === "private" ? undefined : await telegram.administrators.isAdministrator(menu.chat.id, query.from.id);
    const request: ChatRequest = {
      location,
      messageId: String(menu.message_id),
      author: authorOf(query.from, isChatAdmin),
      text: choice.command,
      attachments: [],
      addressedBy: "button",
      command,
      buttonsShownTo: choice.shownTo,
      receivedAt: telegram.arrivals.get(context) ?? telegram.clock.now(),
      ...localeOf(query.from),
    };
    const surface = new TelegramReplySurface(
      telegram.api,
      {
        chatId: menu.chat.id,
        isPrivateChat: menu.chat.type === "private",
        messageThreadId: location.threadId === undefined ? undefined : Number(location.threadId),
        replyToMessageId: menu.message_id,
        askerId: request.author.id,
      },
      telegram.draftSupport,
      telegram.keyboards,
      telegram.clock,
      telegram.logger,
    );
    answerInBackground(telegram, context, telegram.mami.receive(request, surface, { signal: telegram.inFlight.signal }));
  };
}
