import type { Server } from "node:http";
import type { MamiConfig } from "./core/config/config.js";
import type { PlatformAdapter } from "./core/platform-adapter.js";
import type { Logger } from "./core/ports/logger.js";
import { createLogger } from "./observability/logger.js";
import { createMetrics, startMetricsServer } from "./observability/metrics.js";
import { createRuntime } from "./runtime.js";

/** A platform that refuses the bot's token is a setting to fix, reported like the others. */
function refusedToken(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  const text = `${error instanceof Error ? error.message : String(error)} ${typeof code === "string" ? code : ""}`;
  return /\b401\b|unauthorized|TokenInvalid|invalid token/i.test(text);
}

async function startAdapter(name: string, variables: string, start: () => Promise<PlatformAdapter>, logger: Logger): Promise<PlatformAdapter> {
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

/** How long /healthz waits for the store before calling it unhealthy. */
const storeCheckTimeoutMs = 2_000;

/** `npm start` / `mami start`: every platform whose token is set, one process, one core. */
export async function startMami(config: MamiConfig): Promise<void> {
  const logger: Logger = createLogger(config.logLevel);
  const metrics = createMetrics();
  const adapters: PlatformAdapter[] = [];
  const runtime = await createRuntime(config, logger, (reply, durationMs) => metrics.observeReply(reply, durationMs));
  let started = false;
  let metricsServer: Server | undefined;
  if (config.metricsPort !== undefined) {
    // Healthy only when every enabled platform is connected and the store answers.
    const isHealthy = async (): Promise<boolean> => {
      if (!started || !adapters.every((adapter) => adapter.isConnected())) return false;
      try {
        await Promise.race([runtime.store.get("settings", "healthz"), new Promise((_, reject) => setTimeout(reject, storeCheckTimeoutMs).unref())]);
        return true;
      } catch {
        return false;
      }
    };
    metrics.watch(runtime.mami, () => adapters);
    metricsServer = await startMetricsServer({ host: config.metricsHost, port: config.metricsPort }, metrics, isHealthy);
    logger.info({ host: config.metricsHost, port: config.metricsPort }, "serving /healthz and /metrics");
  }
  const { telegram, discord } = config;
  if (telegram !== undefined) {
    const { startTelegramAdapter } = await import("./adapters/telegram/index.js");
    adapters.push(
      await startAdapter(
        "Telegram",
        "TELEGRAM_BOT_TOKEN",
        () =>
          startTelegramAdapter({
            token: telegram.token,
            apiRoot: telegram.apiRoot,
            mami: runtime.mami,
            logger,
            ...(telegram.webhook === undefined ? {} : { webhook: telegram.webhook }),
            ...(runtime.store.updateClaims === undefined ? {} : { updateClaims: runtime.store.updateClaims }),
          }),
        logger,
      ),
    );
  }
  if (discord !== undefined) {
    const { discordAdapterOptions, startDiscordAdapter } = await import("./adapters/discord/index.js");
    adapters.push(
      await startAdapter(
        "Discord",
        "DISCORD_BOT_TOKEN",
        () => startDiscordAdapter(discordAdapterOptions(discord, runtime.mami, logger)),
        logger,
      ),
    );
  }
  started = true;
  for (const adapter of adapters) logger.info({ bot: adapter.botName }, `${adapter.platform === "telegram" ? "Telegram" : "Discord"} bot running`);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceMs: config.shutdownGraceMs }, "stopping: no new messages; answers under way get the grace period");
    await Promise.allSettled(adapters.map((adapter) => adapter.stop(config.shutdownGraceMs)));
    await runtime.close();
    metricsServer?.close();
    logger.info({}, "stopped");
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
  // One bad update must never take the bot down; log it and go on.
  process.on("unhandledRejection", (reason) => {
    logger.error({ error: reason instanceof Error ? { message: reason.message, stack: reason.stack } : String(reason) }, "unhandled rejection");
  });
}
