/** Starts Mami on Discord: logs in, falls back without Message Content when Discord refuses it, stops cleanly. */
import { systemClock, type Clock } from "../../core/ports/clock.js";
import type { Logger } from "../../core/ports/logger.js";
import type { MamiCore } from "../../core/mami-core.js";
import type { AdapterContext } from "./adapter-context.js";
import { connectClient, type ClientConnection } from "./discord-client.js";
import { isDisallowedIntentsFailure, messageContentIntentHint } from "./privileged-intents.js";

export interface DiscordBotOptions {
  readonly token: string;
  /** The REST root given to discord.js as `rest.api` (it adds `/v10`); the gateway URL comes from it. */
  readonly apiBase: string;
  readonly core: MamiCore;
  readonly logger: Logger;
  readonly clock?: Clock;
}

export interface RunningDiscordBot {
  readonly userId: string;
  stop(): Promise<void>;
}

export async function startDiscordBot(options: DiscordBotOptions): Promise<RunningDiscordBot> {
  const shutdown = new AbortController();
  const context: AdapterContext = {
    core: options.core,
    logger: options.logger.child({ adapter: "discord" }),
    clock: options.clock ?? systemClock,
    shutdown: shutdown.signal,
  };
  const connection = await connectWithFallback(context, options);
  const userId = connection.client.user?.id;
  if (userId === undefined) throw new Error("Discord logged in without telling who the bot is.");
  context.logger.info({ userId }, "Discord bot ready");
  return {
    userId,
    async stop() {
      shutdown.abort();
      await Promise.allSettled([...connection.inFlight]);
      await connection.client.destroy();
    },
  };
}

async function connectWithFallback(context: AdapterContext, options: DiscordBotOptions): Promise<ClientConnection> {
  const closeCodes: number[] = [];
  const settings = { token: options.token, apiBase: options.apiBase, closeCodes };
  try {
    return await connectClient(context, { ...settings, withMessageContent: true });
  } catch (error) {
    if (!isDisallowedIntentsFailure(error, closeCodes)) throw error;
    context.logger.warn({ closeCode: 4014 }, messageContentIntentHint);
    return connectClient(context, { ...settings, withMessageContent: false });
  }
}
