import type { Context } from "grammy";
import type { ChatRequest } from "../../core/request.js";
import type { ChoiceKeyboards } from "./choice-keyboard.js";
import { runCommandLine } from "./commands.js";
import { presentReply, type ReplyPresenter } from "./present-reply.js";
import { authorOf, locationOf } from "./to-chat-request.js";

export interface CallbackHandlerParts {
  readonly presenter: ReplyPresenter;
  readonly keyboards: ChoiceKeyboards;
}

const outdatedMenuText = "This menu is out of date. Send the command again for a fresh one.";

/**
 * A tap on a choice button (from `/model` without an argument): runs the button's command as
 * the user who tapped, in the chat and topic of the menu, and answers the query.
 */
export function createCallbackHandler(parts: CallbackHandlerParts): (context: Context) => Promise<void> {
  return async (context) => {
    const query = context.callbackQuery;
    const menu = query?.message;
    if (query?.data === undefined || menu === undefined) return;
    const command = parts.keyboards.commandOf(query.data);
    if (command === undefined) {
      await context.answerCallbackQuery({ text: outdatedMenuText });
      return;
    }
    // Answered at once: Telegram shows a spinner on the button until it is.
    await context.answerCallbackQuery();
    const location = locationOf(menu.chat, "is_topic_message" in menu ? menu : undefined);
    const request: ChatRequest = {
      location,
      messageId: String(menu.message_id),
      author: authorOf(query.from),
      text: command,
      attachments: [],
      addressedBy: "command",
    };
    await presentReply(
      parts.presenter,
      request,
      runCommandLine(parts.presenter.core, request, command),
      {
        chatId: menu.chat.id,
        isPrivateChat: menu.chat.type === "private",
        messageThreadId: location.threadId === undefined ? undefined : Number(location.threadId),
        replyToMessageId: menu.message_id,
      },
      { showTypingAtOnce: false },
    );
  };
}
