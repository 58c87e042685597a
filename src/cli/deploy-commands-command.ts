import { silentLogger } from "../core/ports/logger.js";
import { configOrExit } from "./environment.js";
import { createRuntime } from "./runtime.js";

/** `mami deploy-commands`: registers the slash commands in DISCORD_GUILD_ID, or globally. */
export async function runDeployCommandsCommand(): Promise<number> {
  const config = configOrExit("deploy-commands");
  const discord = config.discord;
  if (discord === undefined) return 2;
  const { deployDiscordCommands } = await import("../adapters/discord/index.js");
  // The /model choices list the live models, so the core is built (and asks Groq) first when it can.
  const runtime = await createRuntime({ ...config }, silentLogger);
  try {
    const result = await deployDiscordCommands({
      token: discord.token,
      apiBase: discord.apiBase,
      core: runtime.core,
      ...(discord.guildId === undefined ? {} : { guildId: discord.guildId }),
    });
    process.stdout.write(
      `Registered ${result.names.length} commands ${result.scope === "guild" ? `in guild ${discord.guildId ?? ""}` : "globally (may take up to an hour to appear)"}: ${result.names.join(", ")}\n`,
    );
    return 0;
  } finally {
    await runtime.close();
  }
}
