import type { Api, Context } from "grammy";
import type { Mami } from "../../core/mami.js";
import type { RequestsInFlight } from "../../core/platform-adapter.js";
import type { Clock } from "../../core/ports/clock.js";
import type { Logger } from "../../core/ports/logger.js";
import { addressingOf, type BotIdentity } from "./addressing.js";
import { albumAsOneMessage } from "./album-message.js";
import type { ChoiceKeyboards } from "./choice-keyboard.js";
import { isChatAdministrator } from "./chat-administrators.js";
import type { FileDownloader } from "./file-download.js";
import { albumOf } from "./media-groups.js";
import { observeGroupMessage } from "./observe-group-message.js";
import { TelegramReplySurface, type DraftSupport } from "./reply-surface.js";
import { toChatRequest } from "./to-chat-request.js";

/** What the Telegram handlers share: the core, the bot's API and identity, and the adapter's bookkeeping. */
export interface TelegramContext {
  readonly mami: Mami;
  readonly api: Api;
  readonly bot: BotIdentity;
  readonly download: FileDownloader;
  readonly keyboards: ChoiceKeyboards;
  readonly draftSupport: DraftSupport;
  readonly inFlight: RequestsInFlight;
  /** When each update arrived, before it waited in its chat's queue: its place in the quota queue. */
  readonly arrivals: WeakMap<Context, number>;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Hands a message that is addressed to the bot to the core with a surface for its reply, and
 * ignores every other one; an album counts as one message. The adapter only translates: what
 * to say, and whether a command may run, is the core's decision.
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
    const isChatAdmin = addressing.command !== undefined && message.chat.type !== "private" ? await isChatAdministrator(telegram.api, message.chat.id, message.from?.id) : undefined;
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
    // Not awaited: "typing" should appear while the core starts, not delay it. A command's reply is instant.
    if (addressing.command === undefined || addressing.command.name === "ask") void surface.showWorking();
    await telegram.mami.receive(request, surface, { signal: telegram.inFlight.signal });
  };
}
