/** The load run's two platforms: users writing to the fake Telegram and the fake Discord. */
import { apologyText as discordApology } from "../../../src/adapters/discord/errors.js";
import { apologyText as telegramApology } from "../../../src/adapters/telegram/errors.js";
import type { DiscordFixture } from "../../adapters/discord/discord-fixture.js";
import type { TelegramEndToEnd } from "../../adapters/telegram/telegram-end-to-end.js";
import type { LoadTarget } from "./load-run.js";
import type { ReplyLedger } from "./reply-ledger.js";

/** Each chat of the plan is a private chat of its own user. */
export function telegramTarget(rig: TelegramEndToEnd, ledger: ReplyLedger, firstUserId: number): LoadTarget {
  return {
    name: "Telegram",
    groq: rig.harness.groq,
    ledger,
    apologyText: telegramApology,
    wholeReplyShown: true,
    send(message) {
      const userId = firstUserId + message.chat;
      const sent = rig.telegram.pushPrivateMessage({ chatId: userId, from: { id: userId, first_name: `User ${message.chat}` }, text: message.text });
      return { chatId: String(userId), messageId: String(sent.message_id) };
    },
    shownInReply(sent) {
      return rig.telegram
        .messagesIn(Number(sent.chatId))
        .filter((message) => message.replyToMessageId === Number(sent.messageId))
        .map((message) => message.text);
    },
  };
}

/** Each chat of the plan is the DM of its own Discord user. */
export function discordTarget(fixture: DiscordFixture, ledger: ReplyLedger, firstUserId: bigint): LoadTarget {
  return {
    name: "Discord",
    groq: fixture.harness.groq,
    ledger,
    apologyText: discordApology,
    // Parts after the first follow in the channel without replying to the message.
    wholeReplyShown: false,
    send(message) {
      const author = { id: String(firstUserId + BigInt(message.chat)), username: `load-user-${message.chat}` };
      const sent = fixture.fake.sendDirectMessage({ content: message.text, author });
      return { chatId: sent.channelId, messageId: sent.id };
    },
    shownInReply(sent) {
      return fixture.fake
        .visibleMessages(sent.chatId)
        .filter((message) => message.replyToMessageId === sent.messageId)
        .map((message) => message.content);
    },
  };
}
