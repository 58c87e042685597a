import type { Api } from "grammy";
import type { BotCommand } from "grammy/types";
import { commandDefinitions } from "../../../commands/index.js";

/** The chat commands, defined once in commands/, as Telegram's command menu. */
export function telegramCommandMenu(): BotCommand[] {
  return commandDefinitions.map((definition) => ({ command: definition.name, description: definition.description.slice(0, 256) }));
}

export async function registerCommandMenu(api: Api): Promise<void> {
  await api.setMyCommands(telegramCommandMenu());
}
