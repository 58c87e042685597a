/**
 * Two Telegram webhook workers behind one URL, each `mami start` in a process of its own (real
 * child processes: a worker must be killed with SIGKILL, which only a process can be), sharing a
 * real redis-server, against the fake Telegram and the fake Groq. The front delivers every
 * update to both workers, the first a moment before the second: duplicated deliveries. The
 * first worker is killed mid-answer and started again; every update is answered exactly once.
 */
import { spawnSync } from "node:child_process";
import { afterEach, expect, it } from "vitest";
import { freeTierModels, startFakeGroq } from "../fakes/fake-groq/index.js";
import { startFakeTelegram } from "../fakes/fake-telegram/index.js";
import { eventually } from "../support/eventually.js";
import { describeWhenRedisIs } from "../support/redis-available.js";
import { findFreePort, isRedisServerInstalled, startRedisServer } from "../support/redis-server.js";
import { startDuplicatingFront } from "../support/scale-out/duplicating-front.js";
import { startMamiProcess, type MamiProcess } from "../support/scale-out/mami-process.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const webhookPath = "/telegram-webhook";

/** Updates claimed and not yet answered (src/store/redis-claim-scripts.ts), read with redis-cli. */
function pendingClaims(port: number): number {
  const reply = spawnSync("redis-cli", ["-p", String(port), "ZCARD", "mami:claim:telegram:pending"], { encoding: "utf8" });
  return Number(reply.stdout.trim());
}
const adoptedLog = "answering an update whose process stopped before answering it";

describeWhenRedisIs(isRedisServerInstalled(), "Telegram webhook workers sharing Redis", () => {
  it("answers every update exactly once when both workers receive it, and when the one answering is killed mid-answer and restarted", async () => {
    const redis = await startRedisServer();
    cleanups.push(() => redis.stop());
    // Answers take a couple of seconds: long enough to kill a worker in the middle of them.
    const models = freeTierModels.map((model) => (model.id.startsWith("openai/gpt-oss-1") ? { ...model, latencyMs: 2_500 } : model));
    const groq = await startFakeGroq({ models, apiKey: "gsk_test_key" });
    const telegram = await startFakeTelegram();
    cleanups.push(() => groq.close(), () => telegram.close());
    const ports = [await findFreePort(), await findFreePort()] as const;
    const front = await startDuplicatingFront(webhookPath, () => ports, 150);
    cleanups.push(() => front.close());

    const workerEnvironment = (port: number): Record<string, string> => ({
      GROQ_API_KEY: "gsk_test_key",
      GROQ_BASE_URL: groq.url,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_WEBHOOK_URL: front.url,
      TELEGRAM_WEBHOOK_PORT: String(port),
      TELEGRAM_WEBHOOK_SECRET: "shared-webhook-secret",
      STORE_URL: redis.url,
      ROUTER_MODE: "heuristic",
      SAFETY: "off",
    });
    const workers: MamiProcess[] = [];
    const start = (port: number): MamiProcess => {
      const worker = startMamiProcess(workerEnvironment(port));
      workers.push(worker);
      cleanups.push(() => worker.stop("SIGKILL"));
      return worker;
    };
    const first = start(ports[0]);
    const second = start(ports[1]);
    await Promise.all([first.waitForLog("Telegram bot running"), second.waitForLog("Telegram bot running")]);

    // The first worker gets each update first and claims it; the second drops its copy.
    const earlyChats = [7_101, 7_102, 7_103, 7_104];
    for (const chatId of earlyChats) telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: `hello from chat ${chatId}` });
    await eventually(() => groq.calls.filter((call) => call.path.endsWith("/chat/completions")).length >= earlyChats.length, "every early message sent to Groq", 20_000);
    // Mid-answer: Groq holds each answer for 2.5 s.
    expect(await first.stop("SIGKILL")).toBeNull();
    const restarted = start(ports[0]);
    await restarted.waitForLog("Telegram bot running");

    const lateChats = [7_201, 7_202, 7_203];
    for (const chatId of lateChats) telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: `hello again from chat ${chatId}` });
    const allChats = [...earlyChats, ...lateChats];
    await eventually(() => allChats.every((chatId) => telegram.messagesIn(chatId).length > 0), "an answer in every chat", 45_000);
    // No claimed update is left unanswered: no second answer can be on its way.
    await eventually(() => pendingClaims(redis.port) === 0, "every claimed update finished", 20_000);

    for (const chatId of allChats) {
      const answers = telegram.messagesIn(chatId);
      expect(answers, `chat ${chatId}`).toHaveLength(1);
      expect(answers[0]?.text).toContain("Answer from");
    }
    // One answer logged per update, by the workers alive at the end.
    expect([second, restarted].flatMap((worker) => worker.lines().filter((line) => line.msg === "answered"))).toHaveLength(allChats.length);
    // The early updates were the killed worker's: another worker took them over, once each.
    const adopted = [second, restarted].flatMap((worker) => worker.lines().filter((line) => line.msg === adoptedLog).map((line) => String(line["updateId"])));
    expect(adopted.length).toBeGreaterThanOrEqual(1);
    expect(new Set(adopted).size).toBe(adopted.length);
    // Both workers received every update (the front delivered each twice).
    expect(telegram.webhookDeliveries().filter((delivery) => delivery.status === 200)).toHaveLength(allChats.length);
  }, 120_000);
});
