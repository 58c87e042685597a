/** The Discord adapter: discord.js events in, the core's replies out. */
export { discordAdapterOptions, startDiscordAdapter, type DiscordAdapterOptions } from "./discord-adapter.js";
export { deployDiscordCommands, type DeployCommandsOptions } from "./deploy-commands.js";
export { messageContentIntentHint } from "./privileged-intents.js";
