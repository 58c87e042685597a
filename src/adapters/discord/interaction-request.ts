/** A slash command or "Ask Mami" as the command name, its options and the core's `ChatRequest`. */
import type { ChatInputCommandInteraction, CommandInteraction, MessageContextMenuCommandInteraction } from "discord.js";
import { findCommand } from "../../../commands/index.js";
import type { Attachment, ChatRequest } from "../../core/request.js";
import { attachmentsOf, toAttachment } from "./attachments.js";
import { chatLocationOf } from "./chat-location.js";
import { textForModel } from "./message-text.js";

export interface CommandInvocation {
  readonly commandName: string;
  readonly options: Record<string, string | undefined>;
  readonly request: ChatRequest;
}

function interactionRequest(interaction: CommandInteraction, text: string, attachments: readonly Attachment[]): ChatRequest {
  return {
    location: chatLocationOf(interaction.channel, interaction.channelId, interaction.inGuild()),
    // The interaction stands in for the message a typed command would have been.
    messageId: interaction.id,
    author: {
      id: interaction.user.id,
      name: interaction.inCachedGuild() ? interaction.member.displayName : interaction.user.displayName,
      isBot: interaction.user.bot,
    },
    text,
    attachments,
    addressedBy: "command",
  };
}

/** String options become the command's raw options; attachment options become the request's attachments. */
export function slashCommandInvocation(interaction: ChatInputCommandInteraction): CommandInvocation {
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
  return { commandName: interaction.commandName, options, request: interactionRequest(interaction, text, attachments) };
}

/** "Ask Mami" on a message: that message's text and attachments are the question, as `/ask` would put them. */
export function askAboutMessageInvocation(interaction: MessageContextMenuCommandInteraction): CommandInvocation {
  const target = interaction.targetMessage;
  const text = textForModel(target, interaction.client.user.id);
  return { commandName: "ask", options: { prompt: text }, request: interactionRequest(interaction, text, attachmentsOf(target)) };
}
