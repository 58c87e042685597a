import { configOrExit } from "./environment.js";

/** `mami deploy-commands`: registers the slash commands in DISCORD_GUILD_ID, or globally. */
export async function runDeployCommandsCommand(): Promise<number> {
  const { discord } = configOrExit("deploy-commands");
  if (discord === undefined) return 2;
  const { deployDiscordCommands } = await import("../adapters/discord/index.js");
  const result = await deployDiscordCommands({
    token: discord.token,
    apiBase: discord.apiBase,
    ...(discord.guildId === undefined ? {} : { guildId: discord.guildId }),
  });
  process.stdout.write(
    `Registered ${result.names.length} commands ${result.scope === "guild" ? `in guild ${discord.guildId ?? ""}` : "globally (Discord may take up to an hour to show them)"}: ${result.names.join(", ")}\n`,
  );
  return 0;
}
