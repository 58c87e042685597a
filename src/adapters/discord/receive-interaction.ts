/**
 * Slash commands and "Ask Mami": acknowledged at once with a deferred reply (Discord forgets an
 * interaction not acknowledged within 3 s), then the core answers into that reply by edits,
 * with parts beyond 2000 characters as follow-ups. Errors, and the apology for a failure of the
 * adapter itself, are shown only to the user who ran the command.
 */
import { MessageFlags, type ButtonInteraction, type CommandInteraction, type Interaction } from "discord.js";
import { answerAutocomplete } from "./autocomplete.js";
import { askMamiCommandName } from "./commands.js";
import type { DiscordContext } from "./discord-context.js";
import { apologizeForInteraction } from "./errors.js";
import { buttonCommand } from "./part-buttons.js";
import { InteractionReplySurface } from "./reply-surface.js";
import { askAboutMessageRequest, buttonRequest, slashCommandRequest } from "./to-chat-request.js";
import type { ChatRequest } from "../../core/request.js";

export async function receiveInteraction(discord: DiscordContext, interaction: Interaction): Promise<void> {
  if (interaction.isAutocomplete()) {
    await answerAutocomplete(discord, interaction);
  } else if (interaction.isChatInputCommand()) {
    await answerCommand(discord, interaction, () => slashCommandRequest(interaction, discord.clock.now()));
  } else if (interaction.isMessageContextMenuCommand() && interaction.commandName === askMamiCommandName) {
    await answerCommand(discord, interaction, () => askAboutMessageRequest(interaction, discord.clock.now()));
  } else if (interaction.isButton()) {
    await answerButton(discord, interaction);
  }
}

/** A button under a part under way ("Stop reading"): its command runs, and only the presser sees the reply. */
async function answerButton(discord: DiscordContext, interaction: ButtonInteraction): Promise<void> {
  const button = buttonCommand(interaction.customId);
  if (button === undefined || !discord.inFlight.accepting) return;
  const surface = new InteractionReplySurface(interaction);
  try {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await discord.mami.receive(buttonRequest(interaction, button, discord.clock.now()), surface, { signal: discord.inFlight.signal });
  } catch (error) {
    discord.logger.warn({ error: error instanceof Error ? error.message : String(error), customId: interaction.customId }, "A Discord button's command failed");
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
