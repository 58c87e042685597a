/**
 * Slash commands and "Ask Mami": acknowledged at once with a deferred reply (Discord forgets an
 * interaction not acknowledged within 3 s), then the answer streams into that reply by edits,
 * with parts beyond 2000 characters as follow-ups. Errors, and the apology for a failure of the
 * adapter itself, are shown only to the user who ran the command.
 */
import type { CommandInteraction, Interaction } from "discord.js";
import { runCommand } from "../../../commands/index.js";
import type { AdapterContext } from "./adapter-context.js";
import { answerAutocomplete } from "./autocomplete.js";
import { InteractionReplySurface } from "./discord-surface.js";
import { apologizeForInteraction } from "./errors.js";
import { askAboutMessageInvocation, slashCommandInvocation, type CommandInvocation } from "./interaction-request.js";
import { presentReply } from "./present-reply.js";
import { withErrorsOnlyForTheAsker } from "./private-errors.js";
import { askMamiCommandName } from "./slash-commands.js";

export async function answerInteraction(context: AdapterContext, interaction: Interaction): Promise<void> {
  if (interaction.isAutocomplete()) {
    await answerAutocomplete(context, interaction);
  } else if (interaction.isChatInputCommand()) {
    await answerCommand(context, interaction, () => slashCommandInvocation(interaction));
  } else if (interaction.isMessageContextMenuCommand() && interaction.commandName === askMamiCommandName) {
    await answerCommand(context, interaction, () => askAboutMessageInvocation(interaction));
  }
}

async function answerCommand(context: AdapterContext, interaction: CommandInteraction, invocationOf: () => CommandInvocation): Promise<void> {
  const surface = new InteractionReplySurface(interaction);
  try {
    // Before anything else, so that nothing can push the acknowledgement past Discord's deadline.
    await interaction.deferReply();
    const { commandName, options, request } = invocationOf();
    const stream = withErrorsOnlyForTheAsker(runCommand(context.core, request, commandName, options), surface);
    await presentReply(context, request, stream, surface);
  } catch (error) {
    await apologizeForInteraction(interaction, error, context.logger, { shownAnything: surface.hasShownAnything });
  }
}
