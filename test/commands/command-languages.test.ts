/**
 * The commands' own words in the user's language, through the real core: /status, /usage,
 * /stats, /persona, /model, /reset, files Mami cannot read, and the notes around a search answer.
 * English stays as it was.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Mami } from "../../src/core/mami.js";
import { finalReplyOf, type ReplyStream } from "../../src/core/reply.js";
import type { ChatRequest } from "../../src/core/request.js";
import { bytesAttachment, chatRequest } from "../support/chat-request.js";
import { startMamiHarness, type MamiHarness } from "../support/mami-harness.js";

let harness: MamiHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function runCommand(mami: Mami, request: ChatRequest, name: string, options: Record<string, string | undefined> = {}): ReplyStream {
  return mami.reply({ ...request, addressedBy: "command", command: { name, options } });
}

/** A Telegram private chat of its own, for a user whose app is set to `locale`. */
function from(locale: string, text = "", id = locale): ChatRequest {
  return chatRequest(text, { location: { platform: "telegram", chatId: `chat-${id}`, kind: "private" }, author: { id: `user-${id}`, name: "User", isBot: false }, locale });
}

async function textOf(stream: ReplyStream): Promise<string> {
  return (await finalReplyOf(stream)).text;
}

describe("commands in the user's language", () => {
  it("labels /status in Turkish, and keeps the model ids and figures", async () => {
    harness = await startMamiHarness();
    const status = await textOf(runCommand(harness.mami, from("tr"), "status"));
    expect(status).toMatch(/^\*\*Modeller\*\*\n/);
    expect(status).toMatch(/\n- openai\/gpt-oss-120b \[[a-z_, ]+\]: hazır, bugün \d+ istek, bu dakika \d+ token kaldı/);
    expect(status).toContain("Bugün sen: 0 istek, 0 token.");
    expect(status).toMatch(/Web aramaları: bugün \d+ aramandan \d+ tanesi kaldı; arama sistemlerinin bugün herkes için \d+ isteği kaldı\./);
    expect(status).not.toContain("requests left");
  });

  it("writes /usage in German with German number formatting, and in English as before", async () => {
    harness = await startMamiHarness({ env: { USER_DAILY_TOKENS: "50000" } });
    const german = await textOf(runCommand(harness.mami, from("de"), "usage"));
    expect(german).toMatch(/^\*\*Deine Nutzung heute:\*\* 0 Anfragen, 0 Tokens\.\n\*\*Übrig:\*\* 50\.000 von deinen 50\.000 Tokens für heute; das Budget erneuert sich in etwa \d+ (Minuten|Stunden|Minute|Stunde) \(Mitternacht UTC\)\.$/);
    const english = await textOf(runCommand(harness.mami, from("en-GB"), "usage"));
    expect(english).toMatch(/^\*\*Your usage today:\*\* 0 requests, 0 tokens\.\n\*\*Left:\*\* 50,000 of your 50,000 tokens for today; the budget renews in about \d+ (minutes|hours|minute|hour) \(midnight UTC\)\.$/);
  });

  it("shows /stats to an operator in Spanish", async () => {
    harness = await startMamiHarness({ env: { ADMIN_USERS: "tg:user-es" } });
    const stats = await textOf(runCommand(harness.mami, from("es-ES", "", "es"), "stats"));
    expect(stats).toMatch(/^\*\*Hoy \(\d{4}-\d{2}-\d{2}, UTC\), todos los chats:\*\* 0 solicitudes, 0 respondidas\./);
    expect(stats).toContain("**Por rol:** ninguno.");
    expect(stats).toContain("**Margen de cuota:**");
    const refused = await textOf(runCommand(harness.mami, from("es", "", "not-an-operator"), "stats"));
    expect(refused).toBe("Solo quienes operan el bot (ADMIN_USERS) pueden ver /stats. /usage muestra tus propias cifras.");
  });

  it("sets, shows and removes a persona in Turkish", async () => {
    harness = await startMamiHarness();
    const user = from("tr");
    expect(await textOf(runCommand(harness.mami, user, "persona"))).toMatch(/^Bu sohbetin bir personası yok/);
    expect(await textOf(runCommand(harness.mami, user, "persona", { text: "Sen sabırlı bir öğretmensin." }))).toBe(
      "Tamam: bir sonraki mesajdan itibaren bu sohbette o personayla yanıt vereceğim.",
    );
    expect(await textOf(runCommand(harness.mami, user, "persona"))).toBe("Bu sohbetin personası:\n\nSen sabırlı bir öğretmensin.\n\n`/persona reset` onu kaldırır.");
    expect(await textOf(runCommand(harness.mami, user, "persona", { text: "x".repeat(1_001) }))).toBe(
      "Bu personayı kullanamam. Bir persona en fazla 1000 karakter olabilir; bu 1001 karakter.",
    );
    expect(await textOf(runCommand(harness.mami, user, "persona", { text: "reset" }))).toBe("Tamam: bu sohbetin artık bir personası yok.");
  });

  it("pins a role with /model and forgets with /reset in German", async () => {
    harness = await startMamiHarness();
    const user = from("de");
    expect(await textOf(runCommand(harness.mami, user, "model", { choice: "code" }))).toBe("Diese Unterhaltung nutzt jetzt die Rolle code.");
    expect(await textOf(runCommand(harness.mami, user, "model"))).toBe("Diese Unterhaltung nutzt die Rolle code. Wähle etwas, um es zu ändern:");
    expect(await textOf(runCommand(harness.mami, user, "reset"))).toBe("Erledigt: Ich habe diese Unterhaltung vergessen. Die nächste Nachricht fängt neu an.");
  });

  it("refuses a file it cannot read in the user's language", async () => {
    harness = await startMamiHarness();
    const archive = bytesAttachment("backup.zip", "application/zip", new Uint8Array([80, 75, 3, 4]));
    const spanish = await finalReplyOf(harness.mami.reply({ ...from("es", "¿qué hay aquí?"), attachments: [archive] }));
    expect(spanish.text).toMatch(/^No puedo leer `backup\.zip` \(`application\/zip`\)\. Puedo leer imágenes \(JPEG, PNG, WebP, GIF\)/);
    const english = await finalReplyOf(harness.mami.reply({ ...from("en", "what is in here?"), attachments: [archive] }));
    expect(english.text).toMatch(/^I can't read `backup\.zip` \(`application\/zip`\)\. I can read images \(JPEG, PNG, WebP, GIF\)/);
  });

  it("says what a file reader could not do in the user's language", async () => {
    harness = await startMamiHarness();
    const notAPdf = bytesAttachment("report.pdf", "application/pdf", new TextEncoder().encode("PK\u0003\u0004 a zip with a PDF's name"));
    const german = await finalReplyOf(harness.mami.reply({ ...from("de", "was steht darin?"), attachments: [notAPdf] }));
    expect(german.text).toBe("`report.pdf`: Diese Datei ist kein PDF.");
    const english = await finalReplyOf(harness.mami.reply({ ...from("en", "what does it say?"), attachments: [notAPdf] }));
    expect(english.text).toBe("`report.pdf`: This file is not a PDF.");
  });
});

describe("notes around an answer in the user's language", () => {
  it("heads a search answer's sources, and says the day's searches are spent, in Turkish", async () => {
    harness = await startMamiHarness({ env: { SEARCH_DAILY_PER_USER: "1" } });
    harness.groq.setResponder((call) => `Yanıt: ${call.model}.`);
    const news = "son dakika deprem haberleri";
    const searched = await finalReplyOf(harness.mami.reply(from("tr", news)));
    expect(searched.text).toMatch(/\n\n\*\*Kaynaklar:\*\* \[[^\]]+\]\(<https?:\/\/[^>]+>\)/);
    expect(searched.text).not.toContain("**Sources:**");
    const spent = await finalReplyOf(harness.mami.reply(from("tr", news)));
    expect(spent.text).toBe(
      "_Bugünkü 1 web aramanı kullandın; bu yanıt zaten bildiklerime dayanıyor ve güncel olmayabilir._\n\nYanıt: openai/gpt-oss-120b.",
    );
  });
});
