import type { Server } from "node:http";
import type { MamiConfig } from "./core/config/config.js";
import type { Logger } from "./core/ports/logger.js";
import { createLogger } from "./observability/logger.js";
import { createMetrics, startMetricsServer } from "./observability/metrics.js";
import { createRuntime } from "./cli/runtime.js";

interface RunningAdapter {
  readonly name: string;
  stop(): Promise<void>;
}

/** `npm start` / `mami start`: every platform whose token is set, one process, one core. */
export async function startMami(config: MamiConfig): Promise<void> {
  const logger: Logger = createLogger(config.logLevel);
  const metrics = createMetrics();
  let ready = false;
  let metricsServer: Server | undefined;
  if (config.metricsPort !== undefined) {
    metricsServer = await startMetricsServer(config.metricsPort, metrics, () => ready);
    logger.info({ port: config.metricsPort }, "serving /healthz and /metrics on 127.0.0.1");
  }
  const runtime = await createRuntime(config, logger, (reply, durationMs) => metrics.observeReply(reply, durationMs));
  const adapters: RunningAdapter[] = [];
  if (config.telegram !== undefined) {
    const { startTelegramBot } = await import("./adapters/telegram/index.js");
    const bot = await startTelegramBot({
      token: config.telegram.token,
      apiRoot: config.telegram.apiRoot,
      core: runtime.core,
      logger,
      ...(config.telegram.webhook === undefined ? {} : { webhook: config.telegram.webhook }),
    });
    logger.info({ username: bot.username }, "Telegram bot running");
    adapters.push({ name: "telegram", stop: () => bot.stop() });
  }
  if (config.discord !== undefined) {
    const { startDiscordBot } = await import("./adapters/discord/index.js");
    const bot = await startDiscordBot({
      token: config.discord.token,
      apiBase: config.discord.apiBase,
      core: runtime.core,
      logger,
    });
    logger.info({ userId: bot.userId }, "Discord bot running");
    adapters.push({ name: "discord", stop: () => bot.stop() });
  }
  ready = true;

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    await Promise.allSettled(adapters.map((adapter) => adapter.stop()));
    await runtime.close();
    metricsServer?.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
  // One bad update must never take the bot down; log it and go on.
  process.on("unhandledRejection", (reason) => {
    logger.error({ error: reason instanceof Error ? { message: reason.message, stack: reason.stack } : String(reason) }, "unhandled rejection");
  });
}
