import type { AddressInfo } from "node:net";
import { CallLog } from "./call-log.js";
import { ChatStore } from "./chat-store.js";
import { FileStore } from "./file-store.js";
import { InjectedFailures } from "./injected-failures.js";
import type { FakeTelegramWorld } from "./method-context.js";
import { createFakeTelegramServer } from "./server.js";
import type { FakeTelegram, FakeTelegramOptions, VisibleBotMessage } from "./types.js";
import { UpdateQueue } from "./update-queue.js";
import { UserMessageFactory } from "./user-messages.js";

export type * from "./types.js";
export type { InjectedFailure } from "./bot-api-error.js";
export type { TelegramMessage, TelegramUser, InlineKeyboardMarkup } from "./wire-types.js";
export { downloadMethodName } from "./server.js";
export { maximumMessageLength } from "./message-text.js";

export const defaultFakeToken = "123456789:AAFakeTelegramTokenForTests_0123456789";

/**
 * Starts a fake Telegram Bot API on 127.0.0.1 (a free port) that the real grammY client talks to
 * over HTTP. See TESTING.md, "Fake Telegram Bot API".
 */
export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = options.token ?? defaultFakeToken;
  const world: FakeTelegramWorld = {
    bot: { id: Number(token.split(":")[0]) || 123_456_789, is_bot: true, first_name: "Mami", username: "mami_test_bot" },
    chats: new ChatStore(),
    files: new FileStore(),
    updates: new UpdateQueue(),
    callbackQueries: new Map(),
    commandLists: new Map(),
    supportsDrafts: options.drafts ?? true,
    holdCapMs: options.holdCapMs ?? 1000,
    administrators: new Map(),
  };
  const log = new CallLog();
  const failures = new InjectedFailures();
  const users = new UserMessageFactory(world);
  const server = createFakeTelegramServer({ world, token, log, failures });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    bot: world.bot,
    calls: log.calls,
    pushPrivateMessage: (message) => users.privateMessage(message),
    pushGroupMessage: (message) => users.groupMessage(message),
    pushPrivateAlbum: (album) => users.privateAlbum(album),
    pushGroupAlbum: (album) => users.groupAlbum(album),
    pushCallbackQuery: (query) => users.callbackQuery(query),
    tapButton(chatId, messageId, label, from) {
      const markup = world.chats.find(chatId, messageId)?.replyMarkup;
      const button = markup?.inline_keyboard.flat().find((candidate) => candidate.text === label);
      if (button?.callback_data === undefined) throw new Error(`Message ${messageId} in chat ${chatId} has no button "${label}".`);
      return users.callbackQuery({ chatId, messageId, data: button.callback_data, ...(from === undefined ? {} : { from }) });
    },
    waitForCall: (method, predicate = () => true, timeoutMs = 10_000) => log.waitForCall(method, predicate, timeoutMs),
    failNext: (method, failure, times = 1, when) => failures.add(method, failure, times, when),
    messagesIn: (chatId) =>
      world.chats.botMessages(chatId).map(
        (stored): VisibleBotMessage => ({
          messageId: stored.message.message_id,
          text: stored.visibleText,
          entities: stored.entities,
          parseMode: stored.parseMode,
          replyToMessageId: stored.message.reply_to_message?.message_id,
          messageThreadId: stored.message.message_thread_id,
          replyMarkup: stored.replyMarkup,
          editCount: stored.editCount,
        }),
      ),
    draftsIn: (chatId) => world.chats.drafts(chatId),
    makeAdministrator(chatId, userId) {
      const administrators = world.administrators.get(chatId) ?? new Set<number>();
      administrators.add(userId);
      world.administrators.set(chatId, administrators);
    },
    commands: (languageCode) => world.commandLists.get(`default:${languageCode ?? ""}`) ?? [],
    webhookDeliveries: () => world.updates.webhookDeliveries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
