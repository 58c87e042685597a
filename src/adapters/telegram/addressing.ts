import type { Message, MessageEntity } from "grammy/types";
import { commandInvocation, findCommand } from "../../../commands/index.js";
import type { AddressedBy, CommandInvocation } from "../../core/request.js";

export interface BotIdentity {
  readonly id: number;
  readonly username: string;
}

/** The text a user typed (or the caption of their media) and its entities. */
export function textAndEntities(message: Message): { readonly text: string; readonly entities: readonly MessageEntity[] } {
  if (message.text !== undefined) return { text: message.text, entities: message.entities ?? [] };
  return { text: message.caption ?? "", entities: message.caption_entities ?? [] };
}

function entityText(text: string, entity: MessageEntity): string {
  // Entity offsets and lengths count UTF-16 code units, as JavaScript strings do.
  return text.slice(entity.offset, entity.offset + entity.length);
}

/** Whether an entity names this bot: `@username`, or a text mention of its user. */
export function isMentionOfBot(text: string, entity: MessageEntity, bot: BotIdentity): boolean {
  if (entity.type === "mention") return entityText(text, entity).toLowerCase() === `@${bot.username.toLowerCase()}`;
  // Typed as always there, but a webhook post or a buggy client may leave the user out.
  if (entity.type === "text_mention") return (entity.user as MessageEntity.TextMentionMessageEntity["user"] | undefined)?.id === bot.id;
  return false;
}

export interface LeadingCommand {
  /** The command parsed once, from Telegram's bot_command entity and the rest of the line. */
  readonly invocation: CommandInvocation;
  /** `/cmd@mami_bot`, `/cmd@otherbot`, or a bare `/cmd` that every bot in a group receives. */
  readonly target: "this bot" | "another bot" | "any bot";
}

/** The `/command` at the start of a message, as Telegram marks it with a bot_command entity. */
export function leadingCommand(message: Message, bot: BotIdentity): LeadingCommand | undefined {
  const { text, entities } = textAndEntities(message);
  const entity = entities.find((candidate) => candidate.type === "bot_command" && candidate.offset === 0);
  if (entity === undefined) return undefined;
  const [name = "", target] = entityText(text, entity).slice(1).split("@");
  const addressee = target === undefined ? "any bot" : target.toLowerCase() === bot.username.toLowerCase() ? "this bot" : "another bot";
  return { invocation: commandInvocation(name, text.slice(entity.offset + entity.length)), target: addressee };
}

/**
 * Telegram puts the topic's creation message into `reply_to_message` of every message in a forum
 * topic that replies to nothing. That is not a reply, even when the bot created the topic.
 */
export function quotedMessage(message: Message): Message | undefined {
  const quoted = message.reply_to_message;
  if (quoted === undefined || quoted.forum_topic_created !== undefined) return undefined;
  return quoted;
}

export interface Addressing {
  readonly addressedBy: AddressedBy;
  /** Set when the message is a command for this bot. */
  readonly command?: CommandInvocation;
}

/**
 * Whether the bot should answer this message, and why: every message in a private chat; in a
 * group only a mention, a reply to one of the bot's messages, or a command for this bot. Messages
 * from bots are never answered, so two bots cannot talk to each other for ever.
 */
export function addressingOf(message: Message, bot: BotIdentity): Addressing | undefined {
  if (message.from === undefined || message.from.is_bot) return undefined;
  const command = leadingCommand(message, bot);
  if (message.chat.type === "private") return command === undefined ? { addressedBy: "private" } : { addressedBy: "command", command: command.invocation };
  if (message.chat.type !== "group" && message.chat.type !== "supergroup") return undefined;
  if (command?.target === "this bot") return { addressedBy: "command", command: command.invocation };
  // A bare `/weather` in a group may be for another bot: answer only the commands Mami has.
  if (command?.target === "any bot" && findCommand(command.invocation.name) !== undefined) return { addressedBy: "command", command: command.invocation };
  const { text, entities } = textAndEntities(message);
  if (entities.some((entity) => isMentionOfBot(text, entity, bot))) return { addressedBy: "mention" };
  if (quotedMessage(message)?.from?.id === bot.id) return { addressedBy: "reply" };
  return undefined;
}
