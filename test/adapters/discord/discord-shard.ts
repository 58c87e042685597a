/**
 * One Discord shard's Mami, put together as `mami start` does it (src/main.ts): the environment
 * read by loadConfig, the real runtime (Groq client, the store STORE_URL names), and the Discord
 * adapter given the shards the configuration names. Several can run in one test process as
 * separate processes would: each has its own core, store connection and gateway session, and
 * they share only what goes through the store.
 */
import { discordAdapterOptions, startDiscordAdapter } from "../../../src/adapters/discord/index.js";
import { loadConfig } from "../../../src/core/config/config.js";
import type { PlatformAdapter } from "../../../src/core/platform-adapter.js";
import type { FinalReply } from "../../../src/core/reply.js";
import { createRuntime, type Runtime } from "../../../src/runtime.js";
import { recordingLogger, type LoggedLine } from "../../support/recording-logger.js";

export interface DiscordShard {
  /** What this instance's core and adapter logged. */
  readonly logs: LoggedLine[];
  /** Every final reply this instance's core produced, in order: who answered what. */
  readonly finals: FinalReply[];
  readonly runtime: Runtime;
  readonly adapter: PlatformAdapter;
  close(): Promise<void>;
}

export async function startDiscordShard(environment: Readonly<Record<string, string>>): Promise<DiscordShard> {
  const logs: LoggedLine[] = [];
  const finals: FinalReply[] = [];
  const logger = recordingLogger(logs);
  const config = loadConfig(environment, "start");
  const discord = config.discord;
  if (discord === undefined) throw new Error("A Discord shard needs DISCORD_BOT_TOKEN.");
  const runtime = await createRuntime(config, logger, (reply) => finals.push(reply));
  try {
    // The hand-over src/main.ts makes (startMami itself cannot run twice in one process).
    const adapter = await startDiscordAdapter(discordAdapterOptions(discord, runtime.mami, logger));
    return {
      logs,
      finals,
      runtime,
      adapter,
      async close() {
        await adapter.stop(10_000);
        await runtime.close();
      },
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}
