/** Suggestions while a user types a command option (`/model` lists roles and live models). */
import type { AutocompleteInteraction } from "discord.js";
import type { OptionChoice } from "../../core/mami.js";
import type { DiscordContext } from "./discord-context.js";
import { autocompleteRequest } from "./to-chat-request.js";

/** Discord shows at most 25 suggestions, each name and value at most 100 characters. */
const maxSuggestions = 25;
const maxChoiceLength = 100;

export function matchingChoices(choices: readonly OptionChoice[], typed: string): { name: string; value: string }[] {
  const wanted = typed.trim().toLowerCase();
  return choices
    .filter((choice) => choice.name.toLowerCase().includes(wanted) || choice.value.toLowerCase().includes(wanted))
    .slice(0, maxSuggestions)
    .map((choice) => ({ name: choice.name.slice(0, maxChoiceLength), value: choice.value.slice(0, maxChoiceLength) }));
}

export async function answerAutocomplete(discord: DiscordContext, interaction: AutocompleteInteraction): Promise<void> {
  try {
    const focused = interaction.options.getFocused(true);
    // The core decides who may see them: someone not allowed gets an empty list, like any refusal.
    const choices = discord.mami.optionChoices(autocompleteRequest(interaction, discord.clock.now()), interaction.commandName, focused.name);
    await interaction.respond(matchingChoices(choices, String(focused.value)));
  } catch (error) {
    // Nothing to apologize in: a failed suggestion list just stays empty for the user.
    discord.logger.warn({ error: error instanceof Error ? error.message : String(error), command: interaction.commandName }, "Discord autocomplete failed");
  }
}
