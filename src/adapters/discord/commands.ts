/**
 * The Discord shape of Mami's chat commands: one slash command per entry of `commandDefinitions`
 * (defined once, in commands/), plus the message context-menu command "Ask Mami".
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandOption,
  type RESTPostAPIApplicationCommandsJSONBody,
} from "discord.js";
import { commandDefinitions, type CommandDefinition, type CommandOption } from "../../../commands/index.js";

export const askMamiCommandName = "Ask Mami";

/** Guild channels and the bot's DMs; the commands are installed with the bot into a guild. */
const everywhereTheBotIs = {
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  integration_types: [ApplicationIntegrationType.GuildInstall],
};

function optionJson(option: CommandOption): APIApplicationCommandOption {
  const common = { name: option.name, description: option.description, required: option.required };
  if (option.type === "attachment") return { ...common, type: ApplicationCommandOptionType.Attachment };
  // Choices that depend on live models cannot be fixed at deploy time: Discord asks as the user types.
  return { ...common, type: ApplicationCommandOptionType.String, ...(option.choices === undefined ? {} : { autocomplete: true }) };
}

function slashCommandJson(command: CommandDefinition): RESTPostAPIApplicationCommandsJSONBody {
  // Discord refuses a required option after an optional one.
  const options = [...command.options].sort((first, second) => Number(second.required) - Number(first.required));
  return {
    type: ApplicationCommandType.ChatInput,
    name: command.name,
    description: command.description,
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
