import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTelegramAdapter } from "../../../src/adapters/telegram/index.js";
import type { PlatformAdapter } from "../../../src/core/platform-adapter.js";
import { startFakeTelegram, type FakeTelegram } from "../../fakes/fake-telegram/index.js";
import { startMamiHarness, type MamiHarness } from "../../support/mami-harness.js";
import { freshUserId, recordingLogger, waitForMessageText, type LogRecord } from "./telegram-end-to-end.js";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("Telegram webhook mode", () => {
  let telegram: FakeTelegram;
  let harness: MamiHarness;
  let bot: PlatformAdapter;
  let webhookUrl: string;
  const logs: LogRecord[] = [];

  beforeAll(async () => {
    telegram = await startFakeTelegram();
    harness = await startMamiHarness();
    const port = await freePort();
    webhookUrl = `http://127.0.0.1:${port}/telegram-webhook`;
    bot = await startTelegramAdapter({
      token: telegram.token,
      apiRoot: `${telegram.apiRoot}/`,
      mami: harness.mami,
      logger: recordingLogger(logs),
      webhook: { url: webhookUrl, port, secretToken: "webhook-secret_1" },
    });
  });

  afterAll(async () => {
    await bot.stop(10_000);
    await harness.close();
    await telegram.close();
  });

  it("sets the webhook with its secret, answers updates posted to it, and never polls", async () => {
    const setWebhook = telegram.calls.find((call) => call.method === "setWebhook");
    expect(setWebhook?.params).toMatchObject({ url: webhookUrl, secret_token: "webhook-secret_1" });
    harness.groq.setResponder(() => "Delivered by webhook.");
    const chatId = freshUserId();
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "are you on a webhook?" });
    await waitForMessageText(telegram, chatId, "Delivered by webhook.");
    expect(telegram.webhookDeliveries().at(-1)?.status).toBe(200);
    expect(telegram.calls.some((call) => call.method === "getUpdates")).toBe(false);
  });

  it("refuses a post without the secret token", async () => {
    const response = await fetch(webhookUrl, { method: "POST", body: JSON.stringify({ update_id: 1 }), headers: { "content-type": "application/json" } });
    expect(response.status).toBe(401);
  });
});
