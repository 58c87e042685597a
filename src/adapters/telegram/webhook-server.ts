import { createServer } from "node:http";
import type { Bot, BotError, Context } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "../../core/ports/logger.js";

export interface WebhookSettings {
  readonly url: string;
  readonly port: number;
  readonly secretToken?: string;
}

/**
 * Receives updates by webhook. Each update is acknowledged at once and handled afterwards:
 * an answer can take longer than Telegram waits for a webhook, and an unacknowledged update
 * would be delivered again. The same middleware (sequentialized per chat) handles it as in
 * long polling.
 */
export async function startWebhookServer(
  bot: Bot,
  settings: WebhookSettings,
  allowedUpdates: readonly ("message" | "callback_query")[],
  logger: Logger,
): Promise<{ stop(): Promise<void> }> {
  const inFlight = new Set<Promise<unknown>>();
  const server = createServer((request, response) => {
    if (request.method !== "POST") {
      response.writeHead(405).end();
      return;
    }
    if (settings.secretToken !== undefined && request.headers["x-telegram-bot-api-secret-token"] !== settings.secretToken) {
      response.writeHead(401).end();
      return;
    }
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      let update: Update;
      try {
        update = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Update;
      } catch {
        response.writeHead(400).end();
        return;
      }
      response.writeHead(200).end();
      const handling: Promise<unknown> = bot
        .handleUpdate(update)
        .catch((error: unknown) => bot.errorHandler(error as BotError<Context>))
        .catch((error: unknown) => logger.error({ updateId: update.update_id, error: String(error) }, "Webhook update failed"))
        .finally(() => inFlight.delete(handling));
      inFlight.add(handling);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, resolve);
  });
  await bot.api.setWebhook(settings.url, {
    allowed_updates: allowedUpdates,
    ...(settings.secretToken === undefined ? {} : { secret_token: settings.secretToken }),
  });
  logger.info({ url: settings.url, port: settings.port }, "Telegram webhook set");
  return {
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...inFlight]);
    },
  };
}
