/**
 * Mami's own words in the user's language on Telegram: the `language_code` of the user's app
 * picks English, Turkish, Spanish or German for /help, the busy message and the command menu.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandDefinitions } from "../../../commands/index.js";
import { busyReplies, helpHeadings, spendEveryModelsDay } from "../../support/spend-every-model.js";
import { freshUserId, startTelegramEndToEnd, textsIn, waitUntil, type TelegramEndToEnd } from "./telegram-end-to-end.js";

async function replyTo(rig: TelegramEndToEnd, text: string, languageCode: string | undefined): Promise<string> {
  const chatId = freshUserId();
  rig.telegram.pushPrivateMessage({ chatId, from: { id: chatId, ...(languageCode === undefined ? {} : { language_code: languageCode }) }, text });
  await waitUntil(() => textsIn(rig.telegram, chatId).length === 1, `the reply to ${text} (${languageCode ?? "no language"})`);
  return textsIn(rig.telegram, chatId)[0]!;
}

describe("Telegram in the user's language", () => {
  let rig: TelegramEndToEnd;

  beforeAll(async () => {
    rig = await startTelegramEndToEnd();
  });

  afterAll(async () => {
    await rig.close();
  });

  it("registers the command menu in English for everyone and once more in Turkish, Spanish and German", () => {
    const names = commandDefinitions.map((definition) => definition.name);
    const menus = { en: rig.telegram.commands(), tr: rig.telegram.commands("tr"), es: rig.telegram.commands("es"), de: rig.telegram.commands("de") };
    for (const menu of Object.values(menus)) expect(menu.map((command) => command.command)).toEqual(names);
    const help = (language: keyof typeof menus) => menus[language].find((command) => command.command === "help")?.description;
    expect(help("en")).toBe("What Mami does and how to address it");
    expect(help("tr")).toBe("Mami ne yapar ve ona nasıl seslenilir");
    expect(help("es")).toBe("Qué hace Mami y cómo dirigirse a ella");
    expect(help("de")).toBe("Was Mami kann und wie man sie anspricht");
    expect(rig.telegram.commands("pt")).toEqual([]);
  });

  it.each([
    { language: "tr", code: "tr" },
    { language: "es", code: "es" },
    { language: "de", code: "de" },
  ] as const)("answers /help in the user's language ($code)", async ({ language, code }) => {
    const help = await replyTo(rig, "/help", code);
    expect(help).toContain(helpHeadings[language]);
    expect(help).not.toContain(helpHeadings.en);
    expect(help).toContain("/reset");
  });

  it("answers /help in English to a language Mami does not speak, and to a user whose app says none", async () => {
    expect(await replyTo(rig, "/help", "pt-br")).toContain(helpHeadings.en);
    expect(await replyTo(rig, "/help", undefined)).toContain(helpHeadings.en);
  });

  it("says an unknown command is unknown in the user's language", async () => {
    expect(await replyTo(rig, "/frobnicate", "tr")).toBe("/frobnicate diye bir komut yok. /help'e bak.");
  });
});

describe("Telegram's busy message in the user's language", () => {
  let rig: TelegramEndToEnd;

  beforeAll(async () => {
    rig = await startTelegramEndToEnd();
    spendEveryModelsDay(rig.harness.groq);
  });

  afterAll(async () => {
    await rig.close();
  });

  it.each([
    { language: "tr", code: "tr" },
    { language: "de", code: "de" },
    { language: "es", code: "es" },
    { language: "en", code: "fr" },
  ] as const)("tells a $code user every model is out of quota and when to retry, in $language", async ({ language, code }) => {
    expect(await replyTo(rig, "hello there, how are you?", code)).toBe(busyReplies[language]);
  });
});
