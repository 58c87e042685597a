/**
 * `mami deploy-commands`: registers the slash commands and "Ask Mami". In one guild they appear
 * at once (for testing a bot); globally they reach every guild and DM. `/model`'s choices come
 * from the core when a user types (autocomplete), so nothing here depends on which models are live.
 */
import { REST, Routes, type APIApplication } from "discord.js";
import { discordCommandsJson } from "./commands.js";

export interface DeployCommandsOptions {
  readonly token: string;
  readonly apiBase: string;
  readonly guildId?: string;
}

export async function deployDiscordCommands(options: DeployCommandsOptions): Promise<{ scope: "guild" | "global"; names: string[] }> {
  const rest = new REST({ api: options.apiBase }).setToken(options.token);
  // The token names the bot; the application id comes from Discord rather than from one more setting.
  const application = (await rest.get(Routes.currentApplication())) as APIApplication;
  const commands = discordCommandsJson();
  const route =
    options.guildId === undefined
      ? Routes.applicationCommands(application.id)
      : Routes.applicationGuildCommands(application.id, options.guildId);
  // PUT replaces the whole list, so commands removed from commands/ disappear from Discord too.
  await rest.put(route, { body: commands });
  return { scope: options.guildId === undefined ? "global" : "guild", names: commands.map((command) => command.name) };
}
