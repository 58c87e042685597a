import { request as httpRequest } from "node:http";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTelegramAdapter } from "../../../src/adapters/telegram/index.js";
import type { PlatformAdapter } from "../../../src/core/platform-adapter.js";
import { generateWebhookSecret, maximumWebhookBodyBytes } from "../../../src/adapters/telegram/webhook-server.js";
import { startFakeTelegram, type FakeTelegram } from "../../fakes/fake-telegram/index.js";
import { startMamiHarness, type MamiHarness } from "../../support/mami-harness.js";
import { chatCallsMentioning, freshUserId, recordingLogger, waitForMessageText, waitUntil, type LogRecord } from "./telegram-end-to-end.js";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

interface RawRequest {
  readonly method?: string;
  readonly path: string;
  readonly secret?: string;
  readonly body?: string;
  /** Sent without a content-length, in 64 KiB chunks, as a client could to slip past a header check. */
  readonly chunked?: boolean;
}

/** One request over plain node:http, so that method, path, headers and framing are exactly as given. */
function post(port: number, raw: RawRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(raw.body ?? "", "utf8");
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (raw.secret !== undefined) headers["x-telegram-bot-api-secret-token"] = raw.secret;
    if (raw.chunked !== true) headers["content-length"] = String(body.byteLength);
    let answered = false;
    const outgoing = httpRequest({ host: "127.0.0.1", port, path: raw.path, method: raw.method ?? "POST", headers, agent: false }, (response) => {
      answered = true;
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    // A server that answers early and hangs up may cut the upload short: only the answer counts.
    outgoing.on("error", (error) => {
      if (!answered) reject(error);
    });
    if (raw.chunked === true) {
      for (let start = 0; start < body.byteLength; start += 64 * 1024) outgoing.write(body.subarray(start, start + 64 * 1024));
      outgoing.end();
    } else {
      outgoing.end(body);
    }
  });
}

let forgedUpdateId = 900_000_000;

/** What a forger would post: a plausible private message from a chat of their choosing. */
function forgedUpdate(chatId: number, text: string, padding = 0): string {
  forgedUpdateId += 1;
  return JSON.stringify({
    update_id: forgedUpdateId,
    message: {
      message_id: 1,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: "private", first_name: "Mallory" },
      from: { id: chatId, is_bot: false, first_name: "Mallory" },
      text,
      ...(padding === 0 ? {} : { padding: "x".repeat(padding) }),
    },
  });
}

function callsNaming(telegram: FakeTelegram, chatId: number) {
  return telegram.calls.filter((call) => Number(call.params["chat_id"]) === chatId);
}

interface WebhookRig {
  readonly telegram: FakeTelegram;
  readonly harness: MamiHarness;
  readonly bot: PlatformAdapter;
  readonly port: number;
  readonly logs: LogRecord[];
}

async function startRig(secretToken: string | undefined): Promise<WebhookRig> {
  const telegram = await startFakeTelegram();
  const harness = await startMamiHarness();
  harness.groq.setResponder(() => "Genuine answer.");
  const port = await freePort();
  const logs: LogRecord[] = [];
  const bot = await startTelegramAdapter({
    token: telegram.token,
    apiRoot: telegram.apiRoot,
    mami: harness.mami,
    logger: recordingLogger(logs),
    webhook: { url: `http://127.0.0.1:${port}${webhookPath}`, port, ...(secretToken === undefined ? {} : { secretToken }) },
  });
  return { telegram, harness, bot, port, logs };
}

async function stopRig(rig: WebhookRig | undefined): Promise<void> {
  await rig?.bot.stop(10_000);
  await rig?.harness.close();
  await rig?.telegram.close();
}

/** A real user's message, delivered by the fake Telegram with the secret it was given, is answered. */
async function expectGenuineUpdateAnswered(rig: WebhookRig): Promise<void> {
  const chatId = freshUserId();
  rig.telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "a genuine question" });
  await waitForMessageText(rig.telegram, chatId, "Genuine answer.");
}

/**
 * The bot took up an update posted by hand: it asked the model and tried to answer in the chat.
 * (The fake Telegram knows no such chat, so the answer itself fails with "chat not found".)
 */
async function expectTakenUp(rig: WebhookRig, chatId: number, marker: string): Promise<void> {
  await waitUntil(() => chatCallsMentioning(rig.harness.groq, marker).length > 0 && callsNaming(rig.telegram, chatId).length > 0, `an answer attempt in chat ${chatId}`);
}

/** Neither Telegram nor the model heard of the forged update. */
function expectNothingDoneFor(rig: WebhookRig, chatId: number, marker: string): void {
  expect(callsNaming(rig.telegram, chatId)).toEqual([]);
  expect(chatCallsMentioning(rig.harness.groq, marker)).toEqual([]);
}

const webhookPath = "/telegram-webhook";
const configuredSecret = "configured-Secret_0123456789abcdef";

interface RefusedCase {
  readonly name: string;
  readonly status: number;
  readonly request: (forgedBody: string) => RawRequest;
  /** Bytes of padding in the forged update (for the size cap). */
  readonly padding?: number;
}

const refusedCases: readonly RefusedCase[] = [
  { name: "no secret header", status: 401, request: (body) => ({ path: webhookPath, body }) },
  { name: "an empty secret header", status: 403, request: (body) => ({ path: webhookPath, secret: "", body }) },
  { name: "a wrong secret of the same length", status: 403, request: (body) => ({ path: webhookPath, secret: "X".repeat(configuredSecret.length), body }) },
  { name: "the secret with one character changed", status: 403, request: (body) => ({ path: webhookPath, secret: `${configuredSecret.slice(0, -1)}g`, body }) },
  { name: "a secret of a shorter length (a prefix of the right one)", status: 403, request: (body) => ({ path: webhookPath, secret: configuredSecret.slice(0, 8), body }) },
  { name: "a secret of a greater length (the right one, extended)", status: 403, request: (body) => ({ path: webhookPath, secret: `${configuredSecret}x`, body }) },
  { name: "the right secret on a wrong path", status: 404, request: (body) => ({ path: "/somewhere-else", secret: configuredSecret, body }) },
  { name: "the right secret on the root path", status: 404, request: (body) => ({ path: "/", secret: configuredSecret, body }) },
  { name: "the right secret below the path", status: 404, request: (body) => ({ path: `${webhookPath}/more`, secret: configuredSecret, body }) },
  { name: "GET instead of POST", status: 405, request: () => ({ method: "GET", path: webhookPath, secret: configuredSecret }) },
  { name: "PUT instead of POST", status: 405, request: (body) => ({ method: "PUT", path: webhookPath, secret: configuredSecret, body }) },
  {
    name: "an oversized body (declared by content-length)",
    status: 413,
    padding: maximumWebhookBodyBytes,
    request: (body) => ({ path: webhookPath, secret: configuredSecret, body }),
  },
  {
    name: "an oversized body (chunked, no content-length)",
    status: 413,
    padding: maximumWebhookBodyBytes,
    request: (body) => ({ path: webhookPath, secret: configuredSecret, body, chunked: true }),
  },
  { name: "a malformed JSON body", status: 400, request: (body) => ({ path: webhookPath, secret: configuredSecret, body: body.slice(0, -2) }) },
  { name: "JSON that is not an update", status: 400, request: () => ({ path: webhookPath, secret: configuredSecret, body: "[1, 2, 3]" }) },
];

describe("Telegram webhook hardening, with a configured secret", () => {
  let rig: WebhookRig;

  beforeAll(async () => {
    rig = await startRig(configuredSecret);
  });
  afterAll(async () => {
    await stopRig(rig);
  });

  it("takes up a hand-made update that carries the secret (the control: the updates refused below would be acted on)", async () => {
    const chatId = freshUserId();
    const marker = `forged-${chatId}`;
    expect(await post(rig.port, { path: webhookPath, secret: configuredSecret, body: forgedUpdate(chatId, marker) })).toBe(200);
    await expectTakenUp(rig, chatId, marker);
  });

  it.each(refusedCases)("refuses $name with $status, does nothing for it, and keeps answering", async (testCase) => {
    const chatId = freshUserId();
    const marker = `forged-${chatId}`;
    const body = forgedUpdate(chatId, marker, testCase.padding);
    if (testCase.padding !== undefined) expect(Buffer.byteLength(body)).toBeGreaterThan(maximumWebhookBodyBytes);

    expect(await post(rig.port, testCase.request(body))).toBe(testCase.status);

    await expectGenuineUpdateAnswered(rig);
    expectNothingDoneFor(rig, chatId, marker);
  });

  it("accepts a body just under the cap", async () => {
    const chatId = freshUserId();
    const marker = `forged-${chatId}`;
    const body = forgedUpdate(chatId, marker, maximumWebhookBodyBytes - 1000);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(maximumWebhookBodyBytes);
    expect(await post(rig.port, { path: webhookPath, secret: configuredSecret, body })).toBe(200);
    await expectTakenUp(rig, chatId, marker);
  });

  it("gives setWebhook the configured secret", () => {
    const setWebhook = rig.telegram.calls.filter((call) => call.method === "setWebhook");
    expect(setWebhook.map((call) => call.params["secret_token"])).toEqual([configuredSecret]);
  });
});

describe("Telegram webhook hardening, with TELEGRAM_WEBHOOK_SECRET unset", () => {
  let rig: WebhookRig;
  let generated: string;

  beforeAll(async () => {
    rig = await startRig(undefined);
    const setWebhook = rig.telegram.calls.find((call) => call.method === "setWebhook");
    generated = String(setWebhook?.params["secret_token"]);
  });
  afterAll(async () => {
    await stopRig(rig);
  });

  it("gives setWebhook a generated secret of adequate length, in Telegram's alphabet, and says so", () => {
    expect(generated).toMatch(/^[A-Za-z0-9_-]{32,256}$/);
    // 32 random bytes, base64url.
    expect(generated).toHaveLength(43);
    expect(rig.logs.some((line) => line.message.includes("TELEGRAM_WEBHOOK_SECRET is unset"))).toBe(true);
    expect(JSON.stringify(rig.logs)).not.toContain(generated);
  });

  it("answers updates that Telegram delivers with the generated secret", async () => {
    await expectGenuineUpdateAnswered(rig);
    expect(rig.telegram.webhookDeliveries().at(-1)?.status).toBe(200);
    const chatId = freshUserId();
    const marker = `forged-${chatId}`;
    expect(await post(rig.port, { path: webhookPath, secret: generated, body: forgedUpdate(chatId, marker) })).toBe(200);
    await expectTakenUp(rig, chatId, marker);
  });

  it.each([
    { name: "a forged update on the right path with no secret", status: 401, secret: undefined },
    { name: "a forged update on the right path with a guessed secret", status: 403, secret: "guessed-secret" },
    { name: "a forged update with another process's generated secret", status: 403, secret: generateWebhookSecret() },
  ])("refuses $name with $status, does nothing for it, and keeps answering", async ({ status, secret }) => {
    const chatId = freshUserId();
    const marker = `forged-${chatId}`;
    expect(await post(rig.port, { path: webhookPath, body: forgedUpdate(chatId, marker), ...(secret === undefined ? {} : { secret }) })).toBe(status);
    await expectGenuineUpdateAnswered(rig);
    expectNothingDoneFor(rig, chatId, marker);
  });

  it("generates a different secret each time", () => {
    const secrets = new Set(Array.from({ length: 20 }, () => generateWebhookSecret()));
    expect(secrets.size).toBe(20);
  });
});
