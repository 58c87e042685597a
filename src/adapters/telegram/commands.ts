import type { Api } from "grammy";
import type { BotCommand } from "grammy/types";
import { commandDefinitions } from "../../../commands/index.js";
import { defaultLanguage, supportedLanguages, type Language } from "../../core/language/languages.js";
import { wordingFor } from "../../core/language/wording.js";

/** The chat commands, defined once in commands/, as Telegram's command menu in one language. */
export function telegramCommandMenu(language: Language = defaultLanguage): BotCommand[] {
  const words = wordingFor(language);
  return commandDefinitions.map((definition) => ({ command: definition.name, description: definition.description(words).slice(0, 256) }));
}

/**
 * The menu in English for everyone, and once more for each other language Mami speaks: Telegram
 * shows a user the list registered for their app's language, and the English one otherwise.
 */
export async function registerCommandMenu(api: Api): Promise<void> {
  await api.setMyCommands(telegramCommandMenu(defaultLanguage));
  for (const language of supportedLanguages) {
    if (language !== defaultLanguage) await api.setMyCommands(telegramCommandMenu(language), { language_code: language });
  }
}
