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

/** A platform that refuses the bot's token is a setting to fix, reported like the others. */
function refusedToken(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  const text = `${error instanceof Error ? error.message : String(error)} ${typeof code === "string" ? code : ""}`;
  return /\b401\b|unauthorized|TokenInvalid|invalid token/i.test(text);
}

async function startAdapter(
  name: string,
  variables: string,
  start: () => Promise<RunningAdapter>,
  logger: Logger,
): Promise<RunningAdapter> {
  try {
    return await start();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (refusedToken(error)) {
      process.stderr.write(`mami: cannot start; fix these settings in .env or the environment:\n  ${variables}: ${name} refused the bot token (${reason}).\n`);
      process.exit(2);
    }
    logger.error({ reason }, `could not start the ${name} bot; check ${variables} and the network`);
    throw error;
  }
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
  const { telegram, discord } = config;
  if (telegram !== undefined) {
    const { startTelegramBot } = await import("./adapters/telegram/index.js");
    adapters.push(
      await startAdapter("Telegram", "TELEGRAM_BOT_TOKEN", async () => {
        const bot = await startTelegramBot({
          token: telegram.token,
          apiRoot: telegram.apiRoot,
          core: runtime.core,
          logger,
          ...(telegram.webhook === undefined ? {} : { webhook: telegram.webhook }),
        });
        logger.info({ username: bot.username }, "Telegram bot running");
        return { name: "telegram", stop: () => bot.stop() };
      }, logger),
    );
  }
  if (discord !== undefined) {
    const { startDiscordBot } = await import("./adapters/discord/index.js");
    adapters.push(
      await startAdapter("Discord", "DISCORD_BOT_TOKEN", async () => {
        const bot = await startDiscordBot({ token: discord.token, apiBase: discord.apiBase, core: runtime.core, logger });
        logger.info({ userId: bot.userId }, "Discord bot running");
        return { name: "discord", stop: () => bot.stop() };
      }, logger),
    );
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
