/** The discord.js client Mami runs, connected and ready, with its handlers attached before any event can arrive. */
import { Client, Events, GatewayIntentBits, Partials } from "discord.js";
import type { DiscordContext } from "./discord-context.js";
import { receiveInteraction } from "./receive-interaction.js";
import { receiveMessage } from "./receive-message.js";

export interface ShardSettings {
  /** The shards this process runs. */
  readonly ids: readonly number[];
  /** Shards in all, across every process. */
  readonly count: number;
}

function createClient(apiBase: string, withMessageContent: boolean, shards: ShardSettings | undefined): Client {
  return new Client({
    ...(shards === undefined ? {} : { shards: [...shards.ids], shardCount: shards.count }),
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.DirectMessages,
      ...(withMessageContent ? [GatewayIntentBits.MessageContent] : []),
    ],
    // DM channels are not cached before their first message; without this, DMs are never seen.
    partials: [Partials.Channel],
    rest: { api: apiBase },
  });
}

/** Every handler catches its own errors; this also keeps a rejected promise from ending the process. */
function track(discord: DiscordContext, work: Promise<void>): void {
  discord.inFlight.track(work.catch((error: unknown) => discord.logger.error({ error: String(error) }, "A Discord handler failed")));
}

/**
 * Logs in and resolves once the client is ready (its guilds have arrived). `closeCodes` collects
 * the gateway close codes seen meanwhile, so a refused intent can be told from other failures.
 */
export async function connectClient(
  discord: DiscordContext,
  options: { token: string; apiBase: string; withMessageContent: boolean; closeCodes: number[]; shards?: ShardSettings | undefined },
): Promise<Client> {
  const client = createClient(options.apiBase, options.withMessageContent, options.shards);
  client.on(Events.MessageCreate, (message) => track(discord, receiveMessage(discord, message)));
  client.on(Events.InteractionCreate, (interaction) => track(discord, receiveInteraction(discord, interaction)));
  // Without an error listener an emitted error would throw and take the client down.
  client.on(Events.Error, (error) => discord.logger.error({ error: error.message }, "Discord client error"));
  // While logging in, a failure surfaces as the login's error; only the close code is noted here.
  const closedDuringLogin = (event: { code: number }): void => {
    options.closeCodes.push(event.code);
  };
  client.on(Events.ShardDisconnect, closedDuringLogin);
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(options.token);
    await ready;
  } catch (error) {
    await client.destroy();
    throw error;
  }
  client.off(Events.ShardDisconnect, closedDuringLogin);
  client.on(Events.ShardError, (error, shardId) => discord.logger.warn({ error: error.message, shardId }, "Discord gateway error"));
  client.on(Events.ShardDisconnect, (event, shardId) => discord.logger.error({ code: event.code, shardId }, "Discord gateway closed for good"));
  return client;
}
