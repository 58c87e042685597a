import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Bot, BotError, Context } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "../../core/ports/logger.js";

export interface WebhookSettings {
  readonly url: string;
  readonly port: number;
  /** The secret Telegram echoes in every post. Without one, a random one is generated per start. */
  readonly secretToken?: string;
}

/** Telegram's updates are a few kilobytes; anything near this is not one of them. */
export const maximumWebhookBodyBytes = 1024 * 1024;
/** Telegram posts its update at once; a client that dribbles a body for longer is cut off. */
const requestTimeoutMs = 30_000;
/** 32 random bytes, base64url: 43 characters of Telegram's alphabet (A-Z, a-z, 0-9, _ and -). */
const generatedSecretBytes = 32;
const secretHeader = "x-telegram-bot-api-secret-token";

/** A secret for this process only: runtime state, never written to the configuration. */
export function generateWebhookSecret(): string {
  return randomBytes(generatedSecretBytes).toString("base64url");
}

/**
 * Compares in constant time. Both sides are hashed first, so that the comparison is over equal
 * lengths whatever was sent, and a wrong length is a mismatch that takes as long as any other.
 */
function secretMatches(received: string, expectedDigest: Buffer): boolean {
  return timingSafeEqual(createHash("sha256").update(received, "utf8").digest(), expectedDigest);
}

function isUpdate(value: unknown): value is Update {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Number.isSafeInteger((value as { update_id?: unknown }).update_id);
}

/**
 * Receives updates by webhook. Only a POST to the path of the webhook URL that carries the secret
 * token is handled; anything else is answered with an error status and dropped unread, so a
 * forged update never reaches the bot. Each update is acknowledged at once and handled
 * afterwards: an answer can take longer than Telegram waits for a webhook, and an unacknowledged
 * update would be delivered again. The same middleware (sequentialized per chat) handles it as
 * in long polling.
 */
export async function startWebhookServer(
  bot: Bot,
  settings: WebhookSettings,
  allowedUpdates: readonly ("message" | "callback_query")[],
  logger: Logger,
): Promise<{ stop(): Promise<void> }> {
  const secretToken = settings.secretToken ?? generateWebhookSecret();
  const expectedDigest = createHash("sha256").update(secretToken, "utf8").digest();
  const expectedPath = new URL(settings.url).pathname;
  const inFlight = new Set<Promise<unknown>>();

  const refuse = (request: IncomingMessage, response: ServerResponse, status: number, reason: string, headers: Record<string, string> = {}): void => {
    // Debug only: anyone can send these, and a flood of them must not flood the log.
    logger.debug({ status, method: request.method, path: request.url?.split("?")[0], reason }, "Webhook request refused");
    // The body, if any, is not read: close the connection rather than drain it.
    response.writeHead(status, { ...headers, connection: "close" }).end();
  };

  const handle = (update: Update): void => {
    const handling: Promise<unknown> = bot
      .handleUpdate(update)
      .catch((error: unknown) => bot.errorHandler(error as BotError<Context>))
      .catch((error: unknown) => logger.error({ updateId: update.update_id, error: String(error) }, "Webhook update failed"))
      .finally(() => inFlight.delete(handling));
    inFlight.add(handling);
  };

  const server = createServer((request, response) => {
    // A client that hangs up mid-body must not take the process with it.
    request.on("error", (error) => logger.debug({ error: String(error) }, "Webhook request failed"));
    const path = new URL(request.url ?? "/", "http://webhook.invalid").pathname;
    if (path !== expectedPath) return refuse(request, response, 404, "wrong path");
    if (request.method !== "POST") return refuse(request, response, 405, "not a POST", { allow: "POST" });
    const received = request.headers[secretHeader];
    if (received === undefined) return refuse(request, response, 401, "no secret token");
    if (typeof received !== "string" || !secretMatches(received, expectedDigest)) return refuse(request, response, 403, "wrong secret token");
    const declaredLength = Number(request.headers["content-length"] ?? 0);
    if (!(declaredLength <= maximumWebhookBodyBytes)) return refuse(request, response, 413, "body too large");

    const chunks: Buffer[] = [];
    let receivedBytes = 0;
    let refused = false;
    request.on("data", (chunk: Buffer) => {
      if (refused) return;
      receivedBytes += chunk.byteLength;
      if (receivedBytes > maximumWebhookBodyBytes) {
        refused = true;
        chunks.length = 0;
        refuse(request, response, 413, "body too large");
        // Nothing more of it is wanted; stop reading once the answer is out.
        response.once("finish", () => request.destroy());
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => {
      if (refused) return;
      let update: unknown;
      try {
        update = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return refuse(request, response, 400, "malformed JSON");
      }
      if (!isUpdate(update)) return refuse(request, response, 400, "not an update");
      response.writeHead(200).end();
      handle(update);
    });
  });
  server.requestTimeout = requestTimeoutMs;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, resolve);
  });
  await bot.api.setWebhook(settings.url, { allowed_updates: allowedUpdates, secret_token: secretToken });
  if (settings.secretToken === undefined) {
    logger.info(
      {},
      "TELEGRAM_WEBHOOK_SECRET is unset: generated a webhook secret for this process. Set it when several processes share one webhook URL, or each would refuse the others' updates",
    );
  }
  logger.info({ url: settings.url, port: settings.port, path: expectedPath }, "Telegram webhook set");
  return {
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...inFlight]);
    },
  };
}
