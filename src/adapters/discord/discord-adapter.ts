/** Mami on Discord (discord.js): logs in, falls back without Message Content when Discord refuses it, stops cleanly. */
import type { Client } from "discord.js";
import type { MamiConfig } from "../../core/config/config.js";
import type { Mami } from "../../core/mami.js";
import { RequestsInFlight, type PlatformAdapter } from "../../core/platform-adapter.js";
import { systemClock, type Clock } from "../../core/ports/clock.js";
import type { Logger } from "../../core/ports/logger.js";
import { connectClient, type ShardSettings } from "./discord-client.js";
import type { DiscordContext } from "./discord-context.js";
import { IntakeOrder } from "./intake-order.js";
import { isDisallowedIntentsFailure, messageContentIntentHint } from "./privileged-intents.js";

export interface DiscordAdapterOptions {
  readonly token: string;
  /** The REST root given to discord.js as `rest.api` (it adds `/v10`); the gateway URL comes from it. */
  readonly apiBase: string;
  readonly mami: Mami;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** The shards this process runs, when the bot's guilds are spread over several processes. */
  readonly shards?: ShardSettings;
}

/** The adapter's options from what `mami start` read of the environment (DISCORD_*, the shards this process runs among them). */
export function discordAdapterOptions(discord: NonNullable<MamiConfig["discord"]>, mami: Mami, logger: Logger): DiscordAdapterOptions {
  return { token: discord.token, apiBase: discord.apiBase, mami, logger, ...(discord.shards === undefined ? {} : { shards: discord.shards }) };
}

export async function startDiscordAdapter(options: DiscordAdapterOptions): Promise<PlatformAdapter> {
  const clock = options.clock ?? systemClock;
  const discord: DiscordContext = {
    mami: options.mami,
    logger: options.logger.child({ platform: "discord" }),
    clock,
    inFlight: new RequestsInFlight(clock),
    intake: new IntakeOrder(),
  };
  const client = await connectWithFallback(discord, options);
  const userId = client.user?.id;
  if (userId === undefined) throw new Error("Discord logged in without telling who the bot is.");
  discord.logger.info({ userId, shards: options.shards?.ids }, "Discord bot ready");
  return {
    platform: "discord",
    botName: userId,
    isConnected: () => client.isReady(),
    async stop(graceMs) {
      // New messages are not taken from now on; answers under way get the grace period.
      const unfinished = await discord.inFlight.stop(graceMs);
      await client.destroy();
      discord.logger.info({ userId, unfinished }, "Discord bot stopped");
    },
  };
}

async function connectWithFallback(discord: DiscordContext, options: DiscordAdapterOptions): Promise<Client> {
  const closeCodes: number[] = [];
  const settings = { token: options.token, apiBase: options.apiBase, closeCodes, shards: options.shards };
  try {
    return await connectClient(discord, { ...settings, withMessageContent: true });
  } catch (error) {
    if (!isDisallowedIntentsFailure(error, closeCodes)) throw error;
    discord.logger.warn({ closeCode: 4014 }, messageContentIntentHint);
    return connectClient(discord, { ...settings, withMessageContent: false });
  }
}
