import type { ChatRequest } from "../request.js";
import type { Catalog, CountedKey, MessageKey, ValuesFor } from "./catalog.js";
import { english } from "./catalogs/english.js";
import { german } from "./catalogs/german.js";
import { spanish } from "./catalogs/spanish.js";
import { turkish } from "./catalogs/turkish.js";
import { chooseLanguage, type Language } from "./languages.js";

export const catalogs: Readonly<Record<Language, Catalog>> = { en: english, tr: turkish, es: spanish, de: german };

/** How numbers are written in each language: 1,234 in English, 1.234 in Turkish, Spanish and German. */
const numberLocales: Readonly<Record<Language, string>> = { en: "en-US", tr: "tr-TR", es: "es-ES", de: "de-DE" };

/** Mami's own words in one language: every reply text is made here. */
export interface Wording {
  readonly language: Language;
  /** A message with its placeholders filled. */
  say<Key extends MessageKey>(key: Key, ...values: ValuesFor<Key>): string;
  /** A counted noun ("3 tokens", "1 token"), the number written the language's way. */
  count(noun: CountedKey, value: number): string;
  /** A number written the language's way. */
  number(value: number): string;
  /** A wait as people say it: seconds under a minute and a half, minutes under an hour and a half, then hours. */
  wait(milliseconds: number): string;
}

function fill(text: string, values: Readonly<Record<string, string | number>>): string {
  return text.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : String(value);
  });
}

class CatalogWording implements Wording {
  private readonly catalog: Catalog;
  private readonly plurals: Intl.PluralRules;
  private readonly numbers: Intl.NumberFormat;

  constructor(readonly language: Language) {
    this.catalog = catalogs[language];
    this.plurals = new Intl.PluralRules(language);
    this.numbers = new Intl.NumberFormat(numberLocales[language]);
  }

  say<Key extends MessageKey>(key: Key, ...values: ValuesFor<Key>): string {
    const [filled] = values as readonly (Readonly<Record<string, string | number>> | undefined)[];
    return filled === undefined ? this.catalog[key] : fill(this.catalog[key], filled);
  }

  count(noun: CountedKey, value: number): string {
    const form = this.plurals.select(value) === "one" ? "one" : "other";
    return fill(this.catalog[`${noun}.${form}`], { count: this.number(value) });
  }

  number(value: number): string {
    return this.numbers.format(value);
  }

  wait(milliseconds: number): string {
    const seconds = Math.max(1, Math.ceil(milliseconds / 1000));
    if (seconds < 90) return this.count("unit.second", seconds);
    const minutes = Math.ceil(seconds / 60);
    if (minutes < 90) return this.count("unit.minute", minutes);
    return this.count("unit.hour", Math.ceil(minutes / 60));
  }
}

const wordings = new Map<Language, Wording>();

export function wordingFor(language: Language): Wording {
  let wording = wordings.get(language);
  if (wording === undefined) {
    wording = new CatalogWording(language);
    wordings.set(language, wording);
  }
  return wording;
}

/**
 * The one place a request's language is decided: the locale its adapter found (Telegram's
 * `language_code`, Discord's interaction or guild locale), English when there is none or Mami
 * does not speak it.
 */
export function wordingOf(request: Pick<ChatRequest, "locale">): Wording {
  return wordingFor(chooseLanguage(request.locale));
}
