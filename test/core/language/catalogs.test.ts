/**
 * The message catalogs: every shipped language says everything English says, with the same
 * placeholders and the same Markdown, and the language of a request is chosen the one way.
 */
import { describe, expect, it } from "vitest";
import { placeholdersIn, type MessageKey } from "../../../src/core/language/catalog.js";
import { english } from "../../../src/core/language/catalogs/english.js";
import { chooseLanguage, supportedLanguages } from "../../../src/core/language/languages.js";
import { catalogs, wordingFor, wordingOf } from "../../../src/core/language/wording.js";

const englishKeys = Object.keys(english).sort() as MessageKey[];
const otherLanguages = supportedLanguages.filter((language) => language !== "en");
/** "Token" is the word Turkish, Spanish and German use too. */
const loanwords = new Set<MessageKey>(["unit.token.one", "unit.token.other"]);

/** The Markdown a message relies on: bold, italics, inline code; a translation keeps each balanced and present. */
function markdownMarks(text: string): Record<string, number> {
  return { bold: text.split("**").length - 1, code: text.split("`").length - 1, lines: text.split("\n").length };
}

describe("message catalogs", () => {
  it("ship English, Turkish, Spanish and German", () => {
    expect([...supportedLanguages]).toEqual(["en", "tr", "es", "de"]);
    expect(Object.keys(catalogs).sort()).toEqual(["de", "en", "es", "tr"]);
  });

  it.each(otherLanguages)("%s has every message English has, and no other", (language) => {
    const catalog = catalogs[language];
    const missing = englishKeys.filter((key) => typeof catalog[key] !== "string" || catalog[key].trim() === "");
    expect(missing, `messages missing in ${language}`).toEqual([]);
    expect(Object.keys(catalog).sort()).toEqual(englishKeys);
  });

  it.each(otherLanguages)("%s fills the same placeholders as English in every message", (language) => {
    const catalog = catalogs[language];
    const differing = englishKeys
      .filter((key) => placeholdersIn(catalog[key]).join(",") !== placeholdersIn(english[key]).join(","))
      .map((key) => `${key}: English {${placeholdersIn(english[key]).join("}, {")}}, ${language} {${placeholdersIn(catalog[key]).join("}, {")}}`);
    expect(differing).toEqual([]);
  });

  it.each(otherLanguages)("%s keeps each message's Markdown and line breaks", (language) => {
    const catalog = catalogs[language];
    const differing = englishKeys.filter((key) => JSON.stringify(markdownMarks(catalog[key])) !== JSON.stringify(markdownMarks(english[key])));
    expect(differing).toEqual([]);
  });

  it.each(otherLanguages)("%s is a translation, not English left in place", (language) => {
    const catalog = catalogs[language];
    // Short technical strings (a " ({note})" suffix, "- {model}: {answers}, {tokens}") read the same everywhere.
    const untranslated = englishKeys.filter(
      (key) => !loanwords.has(key) && catalog[key] === english[key] && /[a-z]{4,}/.test(english[key].replace(/\{[a-zA-Z]+\}/g, "")),
    );
    expect(untranslated).toEqual([]);
  });

  it("finds a placeholder's name wherever it stands, once", () => {
    expect(placeholdersIn("{name} of {total}, {name} again")).toEqual(["name", "total"]);
    expect(placeholdersIn("no placeholders, {} nor { spaced }")).toEqual([]);
  });
});

describe("the language of a request", () => {
  it("is the platform locale's primary language when Mami speaks it, English otherwise", () => {
    expect(chooseLanguage("tr")).toBe("tr");
    expect(chooseLanguage("es-ES")).toBe("es");
    expect(chooseLanguage("es-419")).toBe("es");
    expect(chooseLanguage("de")).toBe("de");
    expect(chooseLanguage("DE_at")).toBe("de");
    expect(chooseLanguage("en-GB")).toBe("en");
    expect(chooseLanguage("pt-BR")).toBe("en");
    expect(chooseLanguage("")).toBe("en");
    expect(chooseLanguage(undefined)).toBe("en");
    expect(wordingOf({ locale: "tr" }).language).toBe("tr");
    expect(wordingOf({}).language).toBe("en");
  });
});

describe("wording", () => {
  it("fills placeholders and counts nouns by each language's plural rules and number format", () => {
    const englishWords = wordingFor("en");
    expect(englishWords.say("error.outOfQuota", { what: "chatting", wait: "3 hours" })).toBe("Every model for chatting is out of quota right now. Please try again in about 3 hours.");
    expect(englishWords.count("unit.token", 1)).toBe("1 token");
    expect(englishWords.count("unit.token", 12_345)).toBe("12,345 tokens");
    expect(wordingFor("tr").count("unit.token", 12_345)).toBe("12.345 token");
    expect(wordingFor("de").count("unit.answer", 1)).toBe("1 Antwort");
    expect(wordingFor("de").count("unit.answer", 2)).toBe("2 Antworten");
    expect(wordingFor("es").count("unit.request", 2)).toBe("2 solicitudes");
  });

  it("says a wait in seconds, minutes or hours", () => {
    expect(wordingFor("en").wait(40_000)).toBe("40 seconds");
    expect(wordingFor("en").wait(1)).toBe("1 second");
    expect(wordingFor("tr").wait(10 * 60_000)).toBe("10 dakika");
    expect(wordingFor("es").wait(3 * 3_600_000)).toBe("3 horas");
    expect(wordingFor("de").wait(60 * 60_000)).toBe("60 Minuten");
  });
});
