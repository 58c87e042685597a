/** Suggestions while a user types a command option (`/model` lists roles and live models). */
import type { AutocompleteInteraction } from "discord.js";
import { findCommand, type CommandChoice } from "../../../commands/index.js";
import type { DiscordContext } from "./discord-context.js";

/** Discord shows at most 25 suggestions, each name and value at most 100 characters. */
const maxSuggestions = 25;
const maxChoiceLength = 100;

export function matchingChoices(choices: readonly CommandChoice[], typed: string): { name: string; value: string }[] {
  const wanted = typed.trim().toLowerCase();
  return choices
    .filter((choice) => choice.name.toLowerCase().includes(wanted) || choice.value.toLowerCase().includes(wanted))
    .slice(0, maxSuggestions)
    .map((choice) => ({ name: choice.name.slice(0, maxChoiceLength), value: choice.value.slice(0, maxChoiceLength) }));
}

export async function answerAutocomplete(discord: DiscordContext, interaction: AutocompleteInteraction): Promise<void> {
  try {
    const focused = interaction.options.getFocused(true);
    const option = findCommand(interaction.commandName)?.options.find((candidate) => candidate.name === focused.name);
    await interaction.respond(matchingChoices(option?.choices?.(discord.mami) ?? [], String(focused.value)));
  } catch (error) {
    // Nothing to apologize in: a failed suggestion list just stays empty for the user.
    discord.logger.warn({ error: error instanceof Error ? error.message : String(error), command: interaction.commandName }, "Discord autocomplete failed");
  }
}
