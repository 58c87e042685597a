/**
 * Web search on Telegram, end to end: the real grammY bot against the fake Telegram, the real
 * core against the fake Groq's compound systems. What is asserted is what a user sees: the
 * answer's text and its links (Telegram `text_link` entities, from the HTML the adapter sent).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answeredChatCalls, freshUserId, startTelegramEndToEnd, waitUntil, type TelegramEndToEnd } from "./telegram-end-to-end.js";

const newsAnswer = "The latest reports say the board met this morning.";

let rig: TelegramEndToEnd;

beforeAll(async () => {
  rig = await startTelegramEndToEnd();
  rig.harness.groq.setResponder((call) => (call.model.startsWith("groq/compound") ? newsAnswer : `Answer from ${call.model}.`));
});

afterAll(async () => {
  await rig.close();
});

/** The bot's one message in the chat, once it shows the final answer (the last line links its sources). */
async function finalMessageIn(chatId: number, startsWith: string) {
  await waitUntil(() => rig.telegram.messagesIn(chatId).some((message) => message.text.startsWith(startsWith) && !message.text.endsWith("▍")), `an answer in chat ${chatId}`);
  return rig.telegram.messagesIn(chatId).find((message) => message.text.startsWith(startsWith))!;
}

describe("Telegram: a question that needs current information", () => {
  for (const question of ["latest news about the OpenAI board", "son dakika deprem haberleri"]) {
    it(`is answered by a search system, its sources shown as links: "${question}"`, async () => {
      const chatId = freshUserId();
      rig.telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: question });
      const shown = await finalMessageIn(chatId, newsAnswer);

      expect(shown.parseMode).toBe("HTML");
      // Telegram shows the titles as the link texts; the markdown is gone.
      expect(shown.text).toBe(`${newsAnswer}\n\nSources: ${question}: live updates · What we know about ${question} · ${question} explained`);
      const links = shown.entities.filter((entity) => entity.type === "text_link");
      expect(links.map((entity) => new URL(entity.url!).host)).toEqual(["news.example.com", "wire.example.org", "news.example.com"]);
      for (const link of links) expect(shown.text.slice(link.offset, link.offset + link.length)).not.toBe("");
      expect(shown.entities.some((entity) => entity.type === "bold" && shown.text.slice(entity.offset, entity.offset + entity.length) === "Sources:")).toBe(true);

      const searched = answeredChatCalls(rig.harness.groq).filter((call) => call.model === "groq/compound-mini" && JSON.stringify(call.body).includes(question));
      expect(searched).toHaveLength(1);
    });
  }

  it("is answered by chat with the note, in italics, when neither search system has quota", async () => {
    const { groq } = rig.harness;
    for (const model of ["groq/compound-mini", "groq/compound"]) groq.inject(model, { kind: "rate_limit", window: "minute", retryAfterSeconds: 30, times: 1 });
    const chatId = freshUserId();
    rig.telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "what's the weather in Berlin tomorrow?" });
    const note = "I couldn't search the web right now, so this answer is from what I already know and may be out of date.";
    const shown = await finalMessageIn(chatId, note);
    expect(shown.text).toBe(`${note}\n\nAnswer from openai/gpt-oss-120b.`);
    expect(shown.entities).toContainEqual(expect.objectContaining({ type: "italic", offset: 0, length: note.length }));
    expect(shown.entities.filter((entity) => entity.type === "text_link")).toEqual([]);
  });

  it("looks up what /search asks for", async () => {
    // The 429s of the test before cooled both systems for 30 s: this rig's clock is real, so a new one.
    await rig.restart({ harness: {} });
    rig.harness.groq.setResponder((call) => (call.model.startsWith("groq/compound") ? newsAnswer : `Answer from ${call.model}.`));
    const chatId = freshUserId();
    rig.telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "/search what is a monad?" });
    const shown = await finalMessageIn(chatId, newsAnswer);
    expect(shown.entities.filter((entity) => entity.type === "text_link")).toHaveLength(3);
  });
});
