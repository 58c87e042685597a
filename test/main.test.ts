/**
 * `mami start` as an operator runs it: one process, both platforms, the real store and metrics,
 * against the fake Groq, Telegram and Discord. What the adapters do in depth is tested in
 * test/adapters; this checks that the composition starts, answers on both platforms, serves
 * its health and metrics, keeps secrets out of the logs, and stops cleanly.
 */
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { startFakeDiscord } from "./fakes/fake-discord/index.js";
import { freeTierModels, startFakeGroq } from "./fakes/fake-groq/index.js";
import { defaultFakeToken, startFakeTelegram } from "./fakes/fake-telegram/index.js";
import { spawnTypeScript } from "./support/run-typescript.js";
import { eventually } from "./support/eventually.js";

const groqKey = "gsk_secret_key_that_must_not_be_logged";
const discordToken = "discord-secret-token-that-must-not-be-logged";
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  return typeof address === "object" && address !== null ? address.port : 0;
}

/** A probe that throws (a server not listening yet) counts as not yet. */
function eventuallyAnswering<Value>(probe: () => Promise<Value | undefined>, description: string): Promise<Value> {
  return eventually(() => probe().catch(() => undefined), description, 20_000);
}

it("starts both bots in one process, answers on each, serves health and metrics, and stops on SIGTERM", async () => {
  const folder = await mkdtemp(join(tmpdir(), "mami-start-"));
  cleanups.push(() => rm(folder, { recursive: true, force: true }));
  const groq = await startFakeGroq({ models: freeTierModels, apiKey: groqKey });
  const telegram = await startFakeTelegram();
  const discord = await startFakeDiscord({ token: discordToken });
  cleanups.push(() => groq.close(), () => telegram.close(), () => discord.close());
  const metricsPort = await freePort();

  const child = spawnTypeScript("src/cli.ts", ["start"], {
    env: {
      GROQ_API_KEY: groqKey,
      GROQ_BASE_URL: groq.url,
      TELEGRAM_BOT_TOKEN: defaultFakeToken,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      DISCORD_BOT_TOKEN: discordToken,
      DISCORD_API_BASE: discord.apiBase,
      STORE_URL: `sqlite://${join(folder, "mami.sqlite")}`,
      METRICS_PORT: String(metricsPort),
      ROUTER_MODE: "heuristic",
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });

  await discord.waitForBot(30_000);
  const healthy = await eventuallyAnswering(async () => {
    const response = await fetch(`http://127.0.0.1:${metricsPort}/healthz`);
    return response.status === 200 ? response : undefined;
  }, "/healthz to answer 200");
  expect(await healthy.text()).toBe("ok\n");

  const telegramMessage = telegram.pushPrivateMessage({ text: "hello from Telegram, how are you?" });
  await eventuallyAnswering(async () => telegram.messagesIn(Number(telegramMessage.chat.id)).find((message) => message.text.includes("Answer from openai/gpt-oss-120b")), "the Telegram answer");

  const direct = discord.sendDirectMessage({ content: "hello from Discord, how are you?" });
  await eventuallyAnswering(async () => discord.visibleMessages(direct.channelId).find((message) => message.content.includes("Answer from openai/gpt-oss-120b")), "the Discord answer");

  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  expect(metrics).toMatch(/mami_replies_total\{kind="answer",role="chat",model="openai\/gpt-oss-120b"\} 2/);
  // Both platforms screened input with the default SAFETY=input.
  expect(groq.chatCallsTo("meta-llama/llama-guard-4-12b").length).toBeGreaterThanOrEqual(2);

  child.kill("SIGTERM");
  const [exitCode] = (await once(child, "exit")) as [number | null];
  expect(exitCode).toBe(0);

  const lines = stdout.trim().split("\n");
  expect(lines.length).toBeGreaterThan(2);
  for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
  expect(stdout).toContain("Telegram bot running");
  expect(stdout).toContain("Discord bot running");
  for (const secret of [groqKey, discordToken, defaultFakeToken]) {
    expect(stdout).not.toContain(secret);
    expect(stderr).not.toContain(secret);
  }
}, 90_000);

it("stops with status 2 naming the variable when a platform refuses the bot token", async () => {
  const groq = await startFakeGroq({ models: freeTierModels, apiKey: groqKey });
  const telegram = await startFakeTelegram();
  cleanups.push(() => groq.close(), () => telegram.close());
  const child = spawnTypeScript("src/cli.ts", ["start"], {
    env: { GROQ_API_KEY: groqKey, GROQ_BASE_URL: groq.url, TELEGRAM_BOT_TOKEN: "123456:WrongTokenWrongTokenWrongToken", TELEGRAM_API_ROOT: telegram.apiRoot, STORE_URL: "memory://" },
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [exitCode] = (await once(child, "exit")) as [number | null];
  expect(exitCode).toBe(2);
  expect(stderr).toMatch(/^ {2}TELEGRAM_BOT_TOKEN: Telegram refused the bot token/m);
  expect(stderr).not.toContain("WrongTokenWrongToken");
}, 60_000);
