/** The discord.js client Mami runs, connected and ready, with its handlers attached before any event can arrive. */
import { Client, Events, GatewayIntentBits, Partials } from "discord.js";
import type { AdapterContext } from "./adapter-context.js";
import { answerInteraction } from "./interactions.js";
import { answerMessage } from "./message-handler.js";

export interface ClientConnection {
  readonly client: Client;
  /** Handlers still answering; stop() waits for them. */
  readonly inFlight: Set<Promise<void>>;
}

function createClient(apiBase: string, withMessageContent: boolean): Client {
  return new Client({
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
function track(context: AdapterContext, inFlight: Set<Promise<void>>, work: Promise<void>): void {
  const tracked = work.catch((error: unknown) => context.logger.error({ error: String(error) }, "A Discord handler failed"));
  inFlight.add(tracked);
  void tracked.finally(() => inFlight.delete(tracked));
}

/**
 * Logs in and resolves once the client is ready (its guilds have arrived). `closeCodes` collects
 * the gateway close codes seen meanwhile, so a refused intent can be told from other failures.
 */
export async function connectClient(
  context: AdapterContext,
  options: { token: string; apiBase: string; withMessageContent: boolean; closeCodes: number[] },
): Promise<ClientConnection> {
  const client = createClient(options.apiBase, options.withMessageContent);
  const inFlight = new Set<Promise<void>>();
  client.on(Events.MessageCreate, (message) => track(context, inFlight, answerMessage(context, message)));
  client.on(Events.InteractionCreate, (interaction) => track(context, inFlight, answerInteraction(context, interaction)));
  // Without an error listener an emitted error would throw and take the client down.
  client.on(Events.Error, (error) => context.logger.error({ error: error.message }, "Discord client error"));
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
  client.on(Events.ShardError, (error, shardId) => context.logger.warn({ error: error.message, shardId }, "Discord gateway error"));
  client.on(Events.ShardDisconnect, (event, shardId) => context.logger.error({ code: event.code, shardId }, "Discord gateway closed for good"));
  return { client, inFlight };
}
