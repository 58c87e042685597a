import type { Api } from "grammy";
import type { BotCommand } from "grammy/types";
import { commandDefinitions, parseCommandLine, runCommand } from "../../../commands/index.js";
import type { MamiCore } from "../../core/mami-core.js";
import type { ReplyStream } from "../../core/reply.js";
import type { ChatRequest } from "../../core/request.js";

/** The chat commands, defined once in commands/, as Telegram's command menu. */
export function telegramCommandMenu(): BotCommand[] {
  return commandDefinitions.map((definition) => ({ command: definition.name, description: definition.description.slice(0, 256) }));
}

export async function registerCommandMenu(api: Api): Promise<void> {
  await api.setMyCommands(telegramCommandMenu());
}

/**
 * Runs a typed command line (`/model@mami_bot code`, a caption `/ask what is this?`) or a button's
 * command. `/start`, which Telegram sends when someone opens the bot, shows the help.
 */
export function runCommandLine(core: MamiCore, request: ChatRequest, commandLine: string): ReplyStream {
  const parsed = parseCommandLine(commandLine);
  if (parsed === undefined) return runCommand(core, request, "help", {});
  const name = parsed.name === "start" ? "help" : parsed.name;
  return runCommand(core, request, name, parsed.options);
}
