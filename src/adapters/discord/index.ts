/** The Discord adapter: discord.js events in, the core's replies out. */
export { startDiscordBot, type DiscordBotOptions, type RunningDiscordBot } from "./discord-bot.js";
export { deployDiscordCommands, type DeployCommandsOptions } from "./deploy-commands.js";
export { messageContentIntentHint } from "./privileged-intents.js";
