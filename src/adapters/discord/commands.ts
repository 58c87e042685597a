/**
 * The Discord shape of Mami's chat commands: one slash command per entry of `commandDefinitions`
 * (defined once, in commands/), plus the message context-menu command "Ask Mami".
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  Locale,
  type APIApplicationCommandOption,
  type RESTPostAPIApplicationCommandsJSONBody,
} from "discord.js";
import { commandDefinitions, type CommandDefinition, type CommandOption, type Described } from "../../../commands/index.js";
import { defaultLanguage, type Language } from "../../core/language/languages.js";
import { wordingFor } from "../../core/language/wording.js";

export const askMamiCommandName = "Ask Mami";

/** Guild channels and the bot's DMs; the commands are installed with the bot into a guild. */
const everywhereTheBotIs = {
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  integration_types: [ApplicationIntegrationType.GuildInstall],
};

/** Discord's locale for each language Mami speaks besides English (Discord has "es-ES" and "es-419", and one "de" and "tr"). */
const discordLocales: Readonly<Record<Exclude<Language, "en">, Locale>> = { tr: Locale.Turkish, es: Locale.SpanishES, de: Locale.German };

/** A description in English, with its translations for Discord to show each user in their client's language. */
function describedJson(described: Described): { description: string; description_localizations: Partial<Record<Locale, string>> } {
  const description_localizations: Partial<Record<Locale, string>> = {};
  for (const [language, locale] of Object.entries(discordLocales) as [Language, Locale][]) {
    description_localizations[locale] = described(wordingFor(language));
  }
  return { description: described(wordingFor(defaultLanguage)), description_localizations };
}

function optionJson(option: CommandOption): APIApplicationCommandOption {
  const common = { name: option.name, ...describedJson(option.description), required: option.required };
  if (option.type === "attachment") return { ...common, type: ApplicationCommandOptionType.Attachment };
  // Choices that depend on live models cannot be fixed at deploy time: Discord asks as the user types.
  return { ...common, type: ApplicationCommandOptionType.String, ...(option.choices === undefined ? {} : { autocomplete: true }) };
}

function slashCommandJson(command: CommandDefinition): RESTPostAPIApplicationCommandsJSONBody {
  // Discord refuses a required option after an optional one.
  const options = [...command.options].sort((first, second) => Number(second.required) - Number(first.required));
  return {
    type: ApplicationCommandType.ChatInput,
    // The name stays the same in every language, so `/reset` works whatever the user's client shows.
    name: command.name,
    ...describedJson(command.description),
    options: options.map(optionJson),
    ...everywhereTheBotIs,
  };
}

export function discordCommandsJson(): RESTPostAPIApplicationCommandsJSONBody[] {
  return [
    ...commandDefinitions.map(slashCommandJson),
    { type: ApplicationCommandType.Message, name: askMamiCommandName, ...everywhereTheBotIs },
  ];
}
