/**
 * The search role through the real core, the real groq-sdk and the fake Groq's compound systems:
 * routing, sources as links, the fallback to chat with a note, the per-user share and /search.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Mami } from "../../../src/core/mami.js";
import { finalReplyOf, type ReplyStream } from "../../../src/core/reply.js";
import type { ChatRequest } from "../../../src/core/request.js";
import { freeTierModels, type ChatCall, type FakeModelSpec, type RecordedCall } from "../../fakes/fake-groq/index.js";
import { chatRequest } from "../../support/chat-request.js";
import { startMamiHarness, type MamiHarness } from "../../support/mami-harness.js";
import { answerOf, noticeOf } from "../../support/reply-kinds.js";

const englishNews = "latest news about the OpenAI board";
const turkishNews = "son dakika deprem haberleri";
const couldNotSearch = "_I couldn't search the web right now, so this answer is from what I already know and may be out of date._";

let harness: MamiHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function runCommand(mami: Mami, request: ChatRequest, name: string, options: Record<string, string | undefined>): ReplyStream {
  return mami.reply({ ...request, addressedBy: "command", command: { name, options } });
}

function answeredBy(model: string): RecordedCall[] {
  return harness!.groq.chatCallsTo(model).filter((call) => call.status === 200);
}

/** The links of a `**Sources:**` line: [text, address] pairs. */
function sourceLinks(text: string): [string, string][] {
  const line = text.split("\n").find((candidate) => candidate.startsWith("**Sources:** ")) ?? "";
  return [...line.matchAll(/\[([^\]]+)\]\(<([^>]+)>\)/g)].map((match) => [match[1]!, match[2]!]);
}

describe("a question that needs current information", () => {
  it("goes to groq/compound-mini in English and in Turkish, and the answer ends with its sources as links", async () => {
    harness = await startMamiHarness();
    harness.groq.setResponder((call) => (call.model.startsWith("groq/compound") ? "Here is what the news says today." : `Answer from ${call.model}`));

    for (const question of [englishNews, turkishNews]) {
      const reply = answerOf(await finalReplyOf(harness.mami.reply(chatRequest(question))));
      expect(reply.role).toBe("search");
      expect(reply.model).toBe("groq/compound-mini");
      expect(reply.text.startsWith("Here is what the news says today.\n\n**Sources:** ")).toBe(true);
      // The fake's search for the question finds three pages; each is one link, its title as the text.
      const links = sourceLinks(reply.text);
      expect(links.map(([, address]) => new URL(address).host)).toEqual(["news.example.com", "wire.example.org", "news.example.com"]);
      expect(links[0]![0]).toBe(`${question}: live updates`);
    }
    const searches = answeredBy("groq/compound-mini");
    expect(searches).toHaveLength(2);
    // Compound systems take no reasoning parameters (the fake refuses them, as Groq does for non-reasoning models).
    for (const call of searches) {
      const body = call.body as Record<string, unknown>;
      expect(body.stream).toBe(true);
      expect(body.reasoning_effort).toBeUndefined();
      expect(body.reasoning_format).toBeUndefined();
      expect(body.tools).toBeUndefined();
    }
    // Search models answer searches only: no ordinary question ever reaches them.
    answerOf(await finalReplyOf(harness.mami.reply(chatRequest("write me a short poem about autumn leaves"))));
    expect(answeredBy("groq/compound-mini")).toHaveLength(2);
    expect(answeredBy("groq/compound")).toHaveLength(0);
  });

  it("lists each page once, a few at most, best of each search first", async () => {
    harness = await startMamiHarness({ env: { MODELS_SEARCH: "groq/compound" } });
    harness.groq.setResponder(() => "Two searches, one answer.");
    // groq/compound searches twice; both searches find the same first page, once with www. and a fragment.
    harness.groq.setSearchResults((query) => [
      { title: "Board [update]", url: query.endsWith("latest") ? "https://www.example.com/board/#top" : "https://example.com/board", content: "…", score: 0.9 },
      { title: `Second for ${query}`, url: `https://second.example.net/${query.length}`, content: "…", score: 0.8 },
      { title: "", url: "https://third.example.org/page", content: "…", score: 0.7 },
      { title: "Not the web", url: "ftp://files.example.com/x", content: "…", score: 0.6 },
    ]);
    const reply = answerOf(await finalReplyOf(harness.mami.reply(chatRequest(englishNews))));
    expect(reply.model).toBe("groq/compound");
    const links = sourceLinks(reply.text);
    expect(links).toHaveLength(3);
    // The shared first page once (brackets taken out of its title), then each search's second.
    expect(links[0]).toEqual(["Board update", "https://example.com/board"]);
    expect(links.slice(1).map(([text]) => text)).toEqual([`Second for ${englishNews.slice(0, 100)}`, `Second for ${englishNews.slice(0, 100)} latest`]);
  });

  it("is answered by chat with a one-line note when both search systems are out of quota for the day", async () => {
    harness = await startMamiHarness();
    harness.groq.setResponder((call) => `Answer from ${call.model}.`);
    for (const model of ["groq/compound-mini", "groq/compound"]) harness.groq.inject(model, { kind: "rate_limit", window: "day", retryAfterSeconds: 3_600 });

    const reply = answerOf(await finalReplyOf(harness.mami.reply(chatRequest(englishNews))));
    expect(reply.role).toBe("chat");
    expect(reply.model).toBe("openai/gpt-oss-120b");
    expect(reply.text).toBe(`${couldNotSearch}\n\nAnswer from openai/gpt-oss-120b.`);
    expect(reply.attempts.map((attempt) => [attempt.model, attempt.outcome])).toEqual([
      ["groq/compound-mini", "rate_limited"],
      ["groq/compound", "rate_limited"],
      ["openai/gpt-oss-120b", "answered"],
    ]);

    // Both are known to be spent now: the next search goes to chat without calling them.
    const callsBefore = harness.groq.calls.length;
    const next = answerOf(await finalReplyOf(harness.mami.reply(chatRequest(turkishNews))));
    expect(next.role).toBe("chat");
    expect(next.text.startsWith(couldNotSearch)).toBe(true);
    expect(harness.groq.calls.slice(callsBefore).map((call) => call.model)).toEqual(["openai/gpt-oss-120b"]);
  });

  it("is answered by chat with the note once the search systems' requests for the day are spent", async () => {
    const oneSearchADay = freeTierModels.map((model): FakeModelSpec => (model.id.startsWith("groq/compound") ? { ...model, requestsPerDay: 1 } : model));
    harness = await startMamiHarness({ models: oneSearchADay });
    harness.groq.setResponder((call) => `Answer from ${call.model}.`);
    const first = answerOf(await finalReplyOf(harness.mami.reply(chatRequest(englishNews))));
    const second = answerOf(await finalReplyOf(harness.mami.reply(chatRequest(turkishNews))));
    const third = answerOf(await finalReplyOf(harness.mami.reply(chatRequest("what's the weather in Berlin tomorrow?"))));
    expect([first.model, second.model, third.model]).toEqual(["groq/compound-mini", "groq/compound", "openai/gpt-oss-120b"]);
    expect(third.text).toBe(`${couldNotSearch}\n\nAnswer from openai/gpt-oss-120b.`);
    // The headers showed each system's day spent: the third asked neither.
    expect(harness.groq.calls.filter((call) => call.status === 429)).toHaveLength(0);
  });

  it("gives each user a share of the day's searches, then answers from chat with a note, and /status shows it", async () => {
    harness = await startMamiHarness({ env: { SEARCH_DAILY_PER_USER: "2" } });
    harness.groq.setResponder((call) => `Answer from ${call.model}.`);
    const ada = { id: "ada", name: "Ada", isBot: false };
    const roles: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      roles.push(answerOf(await finalReplyOf(harness.mami.reply(chatRequest(englishNews, { author: ada })))).role);
    }
    expect(roles).toEqual(["search", "search", "chat"]);
    const third = harness.finals.at(-1)!;
    expect(third.text).toBe("_You've used your 2 web searches for today, so this answer is from what I already know and may be out of date._\n\nAnswer from openai/gpt-oss-120b.");
    // Someone else still has their share.
    expect(answerOf(await finalReplyOf(harness.mami.reply(chatRequest(englishNews, { author: { id: "bob", name: "Bob", isBot: false } })))).role).toBe("search");

    const status = await finalReplyOf(runCommand(harness.mami, chatRequest("/status", { author: ada }), "status", {}));
    expect(status.text).toContain("Web searches: 0 of your 2 left today; the search systems have 497 requests left today, for everyone.");
    expect(status.text).toMatch(/- groq\/compound-mini \[search\]: ready, 247 requests left today/);
  });

  it("is what /search asks for, even for a question the router would give chat; a bare /search says how to use it", async () => {
    harness = await startMamiHarness();
    harness.groq.setResponder((call) => `Answer from ${call.model}.`);
    const forced = answerOf(await finalReplyOf(runCommand(harness.mami, chatRequest("/search what is a monad?"), "search", { query: "what is a monad?" })));
    expect(forced.role).toBe("search");
    expect(forced.model).toBe("groq/compound-mini");
    expect(sourceLinks(forced.text)).toHaveLength(3);
    const ordinary = answerOf(await finalReplyOf(harness.mami.reply(chatRequest("what is a monad?"))));
    expect(ordinary.role).not.toBe("search");

    const bare = noticeOf(await finalReplyOf(runCommand(harness.mami, chatRequest("/search"), "search", {})));
    expect(bare.text).toMatch(/Tell me what to look up/);
  });

  it("is asked of the router model too, which may choose search", async () => {
    harness = await startMamiHarness({ env: { ROUTER_MODE: "llm" } });
    const isRouterCall = (call: ChatCall) => (call.messages[0] as { content?: unknown }).content?.toString().startsWith("You route messages") === true;
    harness.groq.setResponder((call) => (isRouterCall(call) ? '{"role":"search"}' : `Answer from ${call.model}.`));
    const reply = answerOf(await finalReplyOf(harness.mami.reply(chatRequest("tell me about the mayor of Lisbon"))));
    expect(reply.role).toBe("search");
    const routerCall = harness.groq.calls.find((call) => Array.isArray((call.body as Partial<ChatCall> | undefined)?.messages) && isRouterCall(call.body as ChatCall));
    expect(JSON.stringify(routerCall?.body)).toContain('\\"search\\": needs current information');
  });

  it("stays with chat when a model is pinned, or when no search system is live", async () => {
    harness = await startMamiHarness();
    const request = chatRequest(englishNews);
    await harness.mami.setPin(request, { model: "qwen/qwen3.6-27b" });
    const pinned = answerOf(await finalReplyOf(harness.mami.reply(request)));
    expect([pinned.role, pinned.model]).toEqual(["chat", "qwen/qwen3.6-27b"]);
    await harness.close();

    harness = await startMamiHarness({ models: freeTierModels.filter((model) => !model.id.startsWith("groq/compound")) });
    harness.groq.setResponder((call) => `Answer from ${call.model}.`);
    const noSearch = answerOf(await finalReplyOf(harness.mami.reply(chatRequest(englishNews))));
    expect(noSearch.role).toBe("chat");
    // Nothing could ever be looked up here, so there is nothing to apologise for.
    expect(noSearch.text).toBe("Answer from openai/gpt-oss-120b.");
  });

  it("keeps what a search system said when it breaks off mid-answer, rather than searching again", async () => {
    harness = await startMamiHarness();
    harness.groq.setResponder(() => "The board met on Monday and announced a new chair, effective next month.");
    // The stream sends reasoning and the search (two tool chunks) first, then breaks in the answer.
    harness.groq.inject("groq/compound-mini", { kind: "drop_stream", afterChunks: 5 });
    const reply = answerOf(await finalReplyOf(harness.mami.reply(chatRequest(englishNews))));
    expect(reply.model).toBe("groq/compound-mini");
    expect(reply.text).toMatch(/^The board .+\n\n_\(The answer was cut off: the search system stopped responding\.\)_$/s);
    expect(harness.groq.chatCallsTo("groq/compound")).toHaveLength(0);
  });
});
