/**
 * The languages Mami speaks its own words in, and the one place the language of a request is
 * chosen. Model answers are not translated: the models answer in the language the user writes.
 */

export const supportedLanguages = ["en", "tr", "es", "de"] as const;

export type Language = (typeof supportedLanguages)[number];

export const defaultLanguage: Language = "en";

function isSupported(code: string): code is Language {
  return (supportedLanguages as readonly string[]).includes(code);
}

/**
 * The language for a platform's locale tag (Telegram's `language_code` "tr", Discord's "es-ES"
 * or "de"): its primary subtag when Mami speaks it, English otherwise or when there is none.
 */
export function chooseLanguage(locale: string | undefined): Language {
  const primary = (locale ?? "").trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return isSupported(primary) ? primary : defaultLanguage;
}
