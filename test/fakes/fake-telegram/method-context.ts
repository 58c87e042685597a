import type { ChatStore } from "./chat-store.js";
import type { FileStore } from "./file-store.js";
import type { MethodParams } from "./request-params.js";
import type { UpdateQueue } from "./update-queue.js";
import type { TelegramUser } from "./wire-types.js";

export interface BotCommand {
  readonly command: string;
  readonly description: string;
}

/** Everything a Bot API method may read or change. */
export interface FakeTelegramWorld {
  readonly bot: TelegramUser;
  readonly chats: ChatStore;
  readonly files: FileStore;
  readonly updates: UpdateQueue;
  /** Callback query ids handed to the bot, and whether each was answered. */
  readonly callbackQueries: Map<string, { answered: boolean }>;
  /** setMyCommands, keyed by scope and language as Telegram keeps them. */
  readonly commandLists: Map<string, readonly BotCommand[]>;
  /** Off to play a Bot API server older than sendMessageDraft (the method is then unknown). */
  readonly supportsDrafts: boolean;
  readonly holdCapMs: number;
  /** Who getChatMember calls an administrator, by chat. */
  readonly administrators: Map<number, Set<number>>;
}

export interface MethodCall {
  readonly params: MethodParams;
  /** Aborts when the client hangs up (a stopping bot cancels its long poll). */
  readonly signal: AbortSignal;
}

export type MethodHandler = (world: FakeTelegramWorld, call: MethodCall) => unknown;
