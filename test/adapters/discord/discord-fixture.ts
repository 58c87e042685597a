/**
 * One end-to-end set-up for the Discord adapter tests: the real core and store (the harness,
 * with a fake Groq), the fake Discord, and the real adapter with discord.js logged in to it.
 */
import { deployDiscordCommands, startDiscordAdapter } from "../../../src/adapters/discord/index.js";
import type { Mami } from "../../../src/core/mami.js";
import { eventually as waitFor } from "../../support/eventually.js";
import type { PlatformAdapter } from "../../../src/core/platform-adapter.js";
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions, type VisibleMessage } from "../../fakes/fake-discord/index.js";
import type { FakeModelSpec } from "../../fakes/fake-groq/index.js";
import { startMamiHarness, type MamiHarness } from "../../support/mami-harness.js";
import { recordingLogger, type LoggedLine } from "../../support/recording-logger.js";

export const botToken = "discord-test-token";

export { recordingLogger, type LoggedLine };

export interface DiscordFixture {
  readonly fake: FakeDiscord;
  readonly harness: MamiHarness;
  readonly bot: PlatformAdapter;
  /** What the adapter logged. */
  readonly logs: LoggedLine[];
  /** What the core logged. */
  readonly coreLogs: LoggedLine[];
  close(): Promise<void>;
}

export interface DiscordFixtureOptions {
  readonly fake?: FakeDiscordOptions;
  readonly env?: Record<string, string>;
  readonly models?: readonly FakeModelSpec[];
  /** Wraps the core the adapter sees (the benchmark times the stream through it). */
  readonly wrapCore?: (mami: Mami) => Mami;
}

export async function startDiscordFixture(options: DiscordFixtureOptions = {}): Promise<DiscordFixture> {
  const coreLogs: LoggedLine[] = [];
  const harness = await startMamiHarness({
    env: options.env ?? {},
    logger: recordingLogger(coreLogs),
    ...(options.models === undefined ? {} : { models: options.models }),
  });
  const fake = await startFakeDiscord({ token: botToken, ...options.fake });
  const logs: LoggedLine[] = [];
  const mami = options.wrapCore?.(harness.mami) ?? harness.mami;
  const bot = await startDiscordAdapter({ token: botToken, apiBase: fake.apiBase, mami, logger: recordingLogger(logs) });
  // Commands are registered as an operator would, so dispatched interactions carry their real ids.
  await deployDiscordCommands({ token: botToken, apiBase: fake.apiBase, guildId: fake.world.guilds[0]!.id });
  return {
    fake,
    harness,
    bot,
    logs,
    coreLogs,
    async close() {
      await bot.stop(10_000);
      await fake.close();
      await harness.close();
    },
  };
}

/** A failed test prints what the adapter and the core logged, which usually says why. */
export function printLogsIfFailed(context: { task: { result?: { state?: string } } }, fixture: DiscordFixture): void {
  if (context.task.result?.state !== "fail") return;
  const lines = [...fixture.coreLogs, ...fixture.logs].filter((line) => line.level !== "debug");
  console.log(lines.map((line) => `${line.level} ${line.message} ${JSON.stringify(line.fields)}`).join("\n"));
}

/** Polls until `check` returns a value (not undefined), or fails after the timeout. */
/** The suite's one polling helper, with this fixture's argument order. */
export function eventually<Value>(check: () => Value | undefined, timeoutMs = 10_000, what: () => string = () => "the condition"): Promise<Value> {
  return waitFor(check, what, timeoutMs);
}

/** Resolves with the bot's messages in a channel once their joined text equals `expected`. */
export function waitForVisibleText(fake: FakeDiscord, channelId: string, expected: string, filter: (message: VisibleMessage) => boolean = () => true): Promise<VisibleMessage[]> {
  return eventually(
    () => {
      const messages = fake.visibleMessages(channelId).filter(filter);
      return messages.map((message) => message.content).join("") === expected ? messages : undefined;
    },
    10_000,
    () => `"${expected.slice(0, 60)}" in channel ${channelId}; visible: ${JSON.stringify(fake.visibleMessages(channelId).map((message) => message.content.slice(0, 80)))}`,
  );
}

/** Everything a Groq chat call sent, as one string, to look for earlier turns or image parts. */
export function sentToGroq(call: { body: unknown }): string {
  return JSON.stringify((call.body as { messages?: unknown }).messages ?? []);
}

export function chatCalls(harness: MamiHarness): MamiHarness["groq"]["calls"] {
  return harness.groq.calls.filter((call) => call.path.endsWith("/chat/completions"));
}
