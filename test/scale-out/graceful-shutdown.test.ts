/**
 * `mami start` with both platforms, stopped with SIGTERM while answers are under way: those that
 * finish within SHUTDOWN_GRACE_SECONDS are delivered, the rest end with a note to send again,
 * no message gets two replies, and the process exits 0. On Telegram a message that arrives while
 * the process stops is left for the next one, which answers it and nothing else again. A real
 * child process: the signal, the exit code and the confirmation of updates are its own.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { startFakeDiscord } from "../fakes/fake-discord/index.js";
import { directMessageChannelId } from "../fakes/fake-discord/world.js";
import { freeTierModels, startFakeGroq } from "../fakes/fake-groq/index.js";
import { startFakeTelegram } from "../fakes/fake-telegram/index.js";
import { eventually } from "../support/eventually.js";
import { startMamiProcess } from "../support/scale-out/mami-process.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const restartNote = "I'm restarting and had to stop this answer";
const answered = "Answer from";

it("stops under load on Telegram and Discord: answers within the grace delivered, the rest told to send again, none twice, exit 0", async () => {
  const folder = await mkdtemp(join(tmpdir(), "mami-shutdown-"));
  cleanups.push(() => rm(folder, { recursive: true, force: true }));
  // Each answer takes 5 s; the grace is 3 s.
  const models = freeTierModels.map((model) => (model.id === "openai/gpt-oss-120b" ? { ...model, latencyMs: 5_000 } : model));
  const groq = await startFakeGroq({ models, apiKey: "gsk_test_key" });
  const telegram = await startFakeTelegram();
  const discord = await startFakeDiscord({ token: "discord-token" });
  cleanups.push(() => groq.close(), () => telegram.close(), () => discord.close());
  const environment = {
    GROQ_API_KEY: "gsk_test_key",
    GROQ_BASE_URL: groq.url,
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    DISCORD_BOT_TOKEN: "discord-token",
    DISCORD_API_BASE: discord.apiBase,
    STORE_URL: `sqlite://${join(folder, "mami.sqlite")}`,
    ROUTER_MODE: "heuristic",
    SAFETY: "off",
    SHUTDOWN_GRACE_SECONDS: "3",
  };
  const mami = startMamiProcess(environment);
  cleanups.push(() => mami.stop("SIGKILL"));
  await mami.waitForLog("Discord bot running");
  await mami.waitForLog("Telegram bot running");
  const answerCalls = (): number => groq.calls.filter((call) => call.model === "openai/gpt-oss-120b").length;

  // Two on each platform early enough to finish within the grace, two more too late to.
  const telegramChats = [8_101, 8_102, 8_103, 8_104];
  const discordUsers = ["8201", "8202", "8203", "8204"].map((suffix) => ({ id: `13300000000000${suffix}`, username: `user${suffix}` }));
  const send = (index: number): void => {
    const chatId = telegramChats[index] ?? 0;
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: `tell me something, chat ${chatId}` });
    const author = discordUsers[index];
    if (author !== undefined) discord.sendDirectMessage({ content: `tell me something, ${author.username}`, author });
  };
  send(0);
  send(1);
  await eventually(() => answerCalls() >= 4, "the early answers under way", 20_000);
  // Sent 3 s later: the early ones end 2 s into the grace, these 2 s after it.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  send(2);
  send(3);
  await eventually(() => answerCalls() >= 8, "the late answers under way", 20_000);
  const exited = mami.stop("SIGTERM");
  await mami.waitForLog("stopping", 5_000);
  // Arrives while the process stops: left for the next process.
  telegram.pushPrivateMessage({ chatId: 8_105, from: { id: 8_105 }, text: "are you there?" });
  expect(await exited).toBe(0);

  const telegramReplies = (chatId: number): string[] => telegram.messagesIn(chatId).map((message) => message.text);
  const discordReplies = (userId: string): string[] => discord.visibleMessages(directMessageChannelId(userId)).map((message) => message.content);
  /** The replies one message got, on Telegram and on Discord. */
  const repliesOf = (index: number): string[][] => [telegramReplies(telegramChats[index] ?? 0), discordReplies(discordUsers[index]?.id ?? "")];
  for (const index of [0, 1]) {
    for (const replies of repliesOf(index)) {
      expect(replies).toHaveLength(1);
      expect(replies[0]).toContain(answered);
    }
  }
  for (const index of [2, 3]) {
    for (const replies of repliesOf(index)) {
      expect(replies.filter((text) => text.includes(restartNote))).toHaveLength(1);
      expect(replies.filter((text) => text.includes(answered) && !text.includes(restartNote))).toHaveLength(0);
    }
  }
  expect(telegramReplies(8_105)).toHaveLength(0);

  // The next process answers the message left waiting, and nothing it had taken again.
  const { DISCORD_BOT_TOKEN: _discord, ...telegramOnly } = environment;
  const next = startMamiProcess(telegramOnly);
  cleanups.push(() => next.stop("SIGKILL"));
  await eventually(() => telegramReplies(8_105).length > 0, "the waiting message answered by the next process", 40_000);
  expect(telegramReplies(8_105)).toHaveLength(1);
  for (const chatId of telegramChats) expect(telegramReplies(chatId).length).toBeLessThanOrEqual(1);
  expect(await next.stop("SIGTERM")).toBe(0);
}, 120_000);
