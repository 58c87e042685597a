/** A Discord message, slash command or "Ask Mami" addressed to Mami, as the core's `ChatRequest`. */
import {
  PermissionFlagsBits,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteraction,
  type Message,
  type MessageContextMenuCommandInteraction,
} from "discord.js";
import { findCommand } from "../../../commands/index.js";
import type { AddressedBy, Attachment, ChatRequest, CommandInvocation, QuotedMessage } from "../../core/request.js";
import { attachmentsOf, toAttachment } from "./attachments.js";
import { chatLocationOf } from "./chat-location.js";
import { textForModel } from "./message-text.js";

export async function messageToChatRequest(message: Message, addressedBy: AddressedBy, botUserId: string, receivedAt: number): Promise<ChatRequest> {
  const replyTo = await quotedMessageOf(message, botUserId);
  return {
    location: chatLocationOf(message.channel, message.channelId, message.inGuild()),
    messageId: message.id,
    author: { id: message.author.id, name: authorName(message), isBot: message.author.bot },
    text: textForModel(message, botUserId),
    attachments: attachmentsOf(message),
    addressedBy,
    ...(replyTo === undefined ? {} : { replyTo }),
    receivedAt,
    // Discord gives no user's locale with a message: the guild's preferred one, and English in DMs.
    ...(message.guild === null ? {} : { locale: message.guild.preferredLocale }),
  };
}

function authorName(message: Message): string {
  return message.member?.displayName ?? message.author.displayName;
}

/** The message this one replies to: discord.js caches it from the event; fetched only when it did not come along. */
async function quotedMessageOf(message: Message, botUserId: string): Promise<QuotedMessage | undefined> {
  const referencedId = message.reference?.messageId;
  if (referencedId === undefined) return undefined;
  const referenced = message.channel.messages.cache.get(referencedId) ?? (await message.fetchReference().catch(() => undefined));
  if (referenced === undefined) return undefined;
  return {
    messageId: referenced.id,
    authorName: authorName(referenced),
    fromBot: referenced.author.id === botUserId,
    text: textForModel(referenced, botUserId),
    attachments: attachmentsOf(referenced),
  };
}

/** Discord says in the interaction itself whether the user may manage the server or the channel: no extra call. */
function isChatAdmin(interaction: CommandInteraction | AutocompleteInteraction | ButtonInteraction): boolean {
  const permissions = interaction.memberPermissions;
  return permissions !== null && (permissions.has(PermissionFlagsBits.ManageGuild) || permissions.has(PermissionFlagsBits.ManageChannels));
}

function interactionRequest(
  interaction: CommandInteraction | AutocompleteInteraction | ButtonInteraction,
  command: CommandInvocation,
  text: string,
  attachments: readonly Attachment[],
  receivedAt: number,
): ChatRequest {
  return {
    location: chatLocationOf(interaction.channel, interaction.channelId, interaction.inGuild()),
    // The interaction stands in for the message a typed command would have been.
    messageId: interaction.id,
    author: {
      id: interaction.user.id,
      name: interaction.inCachedGuild() ? interaction.member.displayName : interaction.user.displayName,
      isBot: interaction.user.bot,
      isChatAdmin: isChatAdmin(interaction),
    },
    text,
    attachments,
    addressedBy: "command",
    command,
    receivedAt,
    ...interactionLocale(interaction),
  };
}

/** The user's client language, which Discord sends with every interaction; else the guild's preferred one. */
function interactionLocale(interaction: CommandInteraction | AutocompleteInteraction | ButtonInteraction): { readonly locale?: string } {
  const locale: string | null = interaction.locale || interaction.guildLocale;
  return locale === null || locale === "" ? {} : { locale };
}

/** A slash command: string options are the command's raw options; attachment options become the request's attachments. */
export function slashCommandRequest(interaction: ChatInputCommandInteraction, receivedAt: number): ChatRequest {
  const definition = findCommand(interaction.commandName);
  const options: Record<string, string | undefined> = {};
  const attachments: Attachment[] = [];
  for (const option of definition?.options ?? []) {
    if (option.type === "attachment") {
      const attachment = interaction.options.getAttachment(option.name);
      if (attachment !== null) attachments.push(toAttachment(attachment, { isVoiceMessage: false }));
    } else {
      options[option.name] = interaction.options.getString(option.name) ?? undefined;
    }
  }
  const text = definition?.textOption === undefined ? "" : (options[definition.textOption] ?? "");
  return interactionRequest(interaction, { name: interaction.commandName, options }, text, attachments, receivedAt);
}

/** "Ask Mami" on a message: that message's text and attachments are the question, as `/ask` would put them. */
export function askAboutMessageRequest(interaction: MessageContextMenuCommandInteraction, receivedAt: number): ChatRequest {
  const target = interaction.targetMessage;
  const text = textForModel(target, interaction.client.user.id);
  return interactionRequest(interaction, { name: "ask", options: { prompt: text } }, text, attachmentsOf(target), receivedAt);
}

/** Someone typing a command's option: who and where, for the core's access check of the suggestions. */
export function autocompleteRequest(interaction: AutocompleteInteraction, receivedAt: number): ChatRequest {
  return interactionRequest(interaction, { name: interaction.commandName, options: {} }, "", [], receivedAt);
}

/** A button under a part (a reading's "Stop reading"): its command, run as whoever pressed it; the core refuses anyone but `shownTo`. */
export function buttonRequest(interaction: ButtonInteraction, button: { readonly command: CommandInvocation; readonly commandLine: string; readonly shownTo: string }, receivedAt: number): ChatRequest {
  return { ...interactionRequest(interaction, button.command, button.commandLine, [], receivedAt), addressedBy: "button", buttonsShownTo: button.shownTo };
}
