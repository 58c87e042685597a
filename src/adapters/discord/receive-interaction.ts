/**
 * Slash commands and "Ask Mami": acknowledged at once with a deferred reply (Discord forgets an
 * interaction not acknowledged within 3 s), then the core answers into that reply by edits,
 * with parts beyond 2000 characters as follow-ups. Errors, and the apology for a failure of the
 * adapter itself, are shown only to the user who ran the command.
 */
import type { CommandInteraction, Interaction } from "discord.js";
import { answerAutocomplete } from "./autocomplete.js";
import { askMamiCommandName } from "./commands.js";
import type { DiscordContext } from "./discord-context.js";
import { apologizeForInteraction } from "./errors.js";
import { InteractionReplySurface } from "./reply-surface.js";
import { askAboutMessageRequest, slashCommandRequest } from "./to-chat-request.js";
import type { ChatRequest } from "../../core/request.js";

export async function receiveInteraction(discord: DiscordContext, interaction: Interaction): Promise<void> {
  if (interaction.isAutocomplete()) {
    await answerAutocomplete(discord, interaction);
  } else if (interaction.isChatInputCommand()) {
    await answerCommand(discord, interaction, () => slashCommandRequest(interaction, discord.clock.now()));
  } else if (interaction.isMessageContextMenuCommand() && interaction.commandName === askMamiCommandName) {
    await answerCommand(discord, interaction, () => askAboutMessageRequest(interaction, discord.clock.now()));
  }
}

async function answerCommand(discord: DiscordContext, interaction: CommandInteraction, requestOf: () => ChatRequest): Promise<void> {
  if (!discord.inFlight.accepting) return;
  const surface = new InteractionReplySurface(interaction);
  try {
    // Before anything else, so that nothing can push the acknowledgement past Discord's deadline.
    await interaction.deferReply();
    await discord.mami.receive(requestOf(), surface, { signal: discord.inFlight.signal });
  } catch (error) {
    await apologizeForInteraction(interaction, error, discord.logger, { shownAnything: surface.hasShownAnything });
  }
}
