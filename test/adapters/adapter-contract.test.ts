/**
 * The contract every platform adapter keeps, run against both: the real grammY bot against the
 * fake Bot API and the real discord.js client against the fake Discord, each with the real core
 * and groq-sdk against the fake Groq. A case is written once, in the platform's words only where
 * the platforms differ (how a message is sent, what a reply looks like).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apologyText as discordApology } from "../../src/adapters/discord/errors.js";
import { apologyText as telegramApology } from "../../src/adapters/telegram/errors.js";
import { answerInParts } from "../support/answer-in-parts.js";
import { eventually } from "../support/eventually.js";
import type { MamiHarness } from "../support/mami-harness.js";
import { startDiscordFixture, type DiscordFixture } from "./discord/discord-fixture.js";
import { freshGroupId, freshUserId, startTelegramEndToEnd, textsIn, type TelegramEndToEnd } from "./telegram/telegram-end-to-end.js";

/** A message a user sent, and the bot's messages that answer it, as the user sees them. */
interface SentMessage {
  replies(): readonly string[];
}

interface PlatformUnderTest {
  readonly messageLimit: number;
  readonly apology: string;
  harness(): MamiHarness;
  sendPrivately(text: string): SentMessage;
  /** In a group channel; `addressed` mentions the bot. */
  sendInGroup(text: string, addressed: boolean): SentMessage;
  /** The platform refuses to show the next reply that contains `text` (twice, retries included). */
  refuseToShow(text: string): void;
  close(): Promise<void>;
}

async function startTelegram(): Promise<PlatformUnderTest> {
  const rig: TelegramEndToEnd = await startTelegramEndToEnd();
  const group = freshGroupId();
  return {
    messageLimit: 4096,
    apology: telegramApology,
    harness: () => rig.harness,
    sendPrivately(text) {
      const chatId = freshUserId();
      rig.telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text });
      return { replies: () => textsIn(rig.telegram, chatId) };
    },
    sendInGroup(text, addressed) {
      const sent = rig.telegram.pushGroupMessage({ chatId: group, from: { id: freshUserId() }, mention: addressed, text });
      return { replies: () => rig.telegram.messagesIn(group).filter((message) => message.replyToMessageId === sent.message_id).map((message) => message.text) };
    },
    refuseToShow(text) {
      rig.telegram.failNext("sendMessage", { error_code: 400, description: "Bad Request: not enough rights to send text messages to the chat" }, 2, (params) => String(params["text"]).includes(text));
    },
    close: () => rig.close(),
  };
}

async function startDiscord(): Promise<PlatformUnderTest> {
  const fixture: DiscordFixture = await startDiscordFixture();
  let nextUser = 0;
  return {
    messageLimit: 2000,
    apology: discordApology,
    harness: () => fixture.harness,
    sendPrivately(text) {
      nextUser += 1;
      const author = { id: String(1_330_000_000_000_000_000n + BigInt(nextUser)), username: `contract-user-${nextUser}` };
      const sent = fixture.fake.sendDirectMessage({ content: text, author });
      return { replies: () => fixture.fake.visibleMessages(sent.channelId).map((message) => message.content) };
    },
    sendInGroup(text, addressed) {
      const sent = fixture.fake.sendGuildMessage({ content: text, mentionBot: addressed });
      // The first part replies to the message; the parts after it follow in the channel.
      return {
        replies: () => {
          const visible = fixture.fake.visibleMessages(sent.channelId);
          const first = visible.findIndex((message) => message.replyToMessageId === sent.id);
          return first === -1 ? [] : [visible[first]!.content];
        },
      };
    },
    refuseToShow(text) {
      // The final text may come as an edit of the streamed message or as a message of its own.
      for (const [method, route] of [["POST", /^\/channels\/\d+\/messages$/], ["PATCH", /^\/channels\/\d+\/messages\/\d+$/]] as const) {
        fixture.fake.injectFailure({ method, route, status: 403, body: { message: "Missing Permissions", code: 50013 }, times: 2, when: (body) => JSON.stringify(body).includes(text) });
      }
    },
    close: () => fixture.close(),
  };
}

describe.each([
  { platform: "Telegram", start: startTelegram },
  { platform: "Discord", start: startDiscord },
])("adapter contract: $platform", ({ start }) => {
  let platform: PlatformUnderTest;

  beforeAll(async () => {
    platform = await start();
  });

  afterAll(async () => {
    await platform.close();
  });

  const answerWith = (text: string): void => platform.harness().groq.setResponder(answerInParts(text));

  it("answers a private message", async () => {
    answerWith("Hello from the contract.");
    const sent = platform.sendPrivately("hello, are you there?");
    await eventually(() => sent.replies().join("") === "Hello from the contract.", () => `the answer; shown: ${JSON.stringify(sent.replies())}`);
  });

  it("splits a long answer at the platform's limit, losing nothing", async () => {
    const paragraph = "This sentence is one of many that make a long answer. ".repeat(12).trim();
    const answer = Array.from({ length: 18 }, (_, index) => `${index + 1}. ${paragraph}`).join("\n\n");
    answerWith(answer);
    const sent = platform.sendPrivately("tell me everything at length");
    const parts = await eventually(() => {
      const shown = sent.replies();
      return shown.join("\n\n").replace(/\s+/g, " ") === answer.replace(/\s+/g, " ") ? shown : undefined;
    }, () => `the whole long answer; shown ${sent.replies().length} parts: ${JSON.stringify(sent.replies().map((part) => part.slice(0, 40) + " … " + part.slice(-60)))}`);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(platform.messageLimit);
  });

  it("falls back to the next model when the first is out of quota, and the user sees only the answer", async () => {
    const { groq } = platform.harness();
    answerWith("Answered by whoever had quota.");
    groq.inject("openai/gpt-oss-120b", { kind: "rate_limit", window: "minute", retryAfterSeconds: 30, times: 1 });
    const sent = platform.sendPrivately("a question while the first model is busy");
    await eventually(() => sent.replies().join("") === "Answered by whoever had quota.", "the fallback's answer");
    expect(groq.calls.some((call) => call.model === "openai/gpt-oss-120b" && call.status === 429)).toBe(true);
    expect(sent.replies()).toEqual(["Answered by whoever had quota."]);
  });

  it("apologizes when the platform refuses to show the answer, and answers the next message", async () => {
    answerWith("This answer cannot be shown.");
    platform.refuseToShow("This answer cannot be shown.");
    const refused = platform.sendPrivately("first question");
    await eventually(() => refused.replies().includes(platform.apology), "the apology");
    answerWith("Still answering.");
    const next = platform.sendPrivately("second question");
    await eventually(() => next.replies().join("") === "Still answering.", "the next answer");
  });

  it("answers in a group only when addressed", async () => {
    answerWith("Only when asked.");
    const unaddressed = platform.sendInGroup("just talking among ourselves", false);
    // The sentinel: once the bot has answered a later addressed message, it has handled the earlier one.
    const sentinel = platform.sendInGroup("are you there?", true);
    await eventually(() => sentinel.replies()[0] === "Only when asked.", "the answer to the addressed message");
    expect(unaddressed.replies()).toEqual([]);
  });
});
