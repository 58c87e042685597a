/**
 * A fake Discord on 127.0.0.1: REST, gateway and CDN on one port, for the real discord.js client.
 * See shared/TESTING.md, "Fake Discord".
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { registerAttachment, type AttachmentOptions } from "./attachments.js";
import type { CallPredicate, RecordedCall, RoutePattern } from "./call-log.js";
import { FakeGateway, type IdentifyRecord } from "./gateway.js";
import { rateLimitFailure, statusFailure, type FailureOptions, type RateLimitOptions } from "./injected-failures.js";
import { InteractionHooks, type AutocompleteOptions, type ContextMenuOptions, type DispatchedInteraction, type SlashCommandOptions } from "./interaction-hooks.js";
import type { VisibleMessage } from "./message-board.js";
import { MessageHooks, type DispatchedMessage, type GuildMessageOptions, type UserMessageOptions } from "./message-hooks.js";
import type { AttachmentPayload } from "./payloads.js";
import { createRequestHandler } from "./rest-server.js";
import { FakeDiscordState, type CommandRegistration, type InteractionRecord } from "./state.js";
import { defaultWorld, type FakeWorld } from "./world.js";

export type { AttachmentOptions } from "./attachments.js";
export type { RecordedCall, RecordedFile, RoutePattern, CallPredicate } from "./call-log.js";
export type { IdentifyRecord } from "./gateway.js";
export type { DispatchedInteraction } from "./interaction-hooks.js";
export type { VisibleMessage } from "./message-board.js";
export type { DispatchedMessage } from "./message-hooks.js";
export type { AttachmentPayload } from "./payloads.js";
export type { CommandRegistration, InteractionRecord, InteractionCallback } from "./state.js";
export type { FakeChannel, FakeGuild, FakeUser, FakeWorld } from "./world.js";
export { defaultWorld, guildOnShard } from "./world.js";
export { shardOfGuild, type ShardIdentity } from "./shard-routing.js";
export { snowflakeOnShard } from "./snowflakes.js";

export interface FakeDiscordOptions {
  /** When set, REST calls that need the bot token must carry `Bot <token>`; others get 401. */
  readonly token?: string;
  readonly world?: FakeWorld;
  /** Close the gateway with 4014 when IDENTIFY asks for the privileged MessageContent intent. */
  readonly rejectMessageContentIntent?: boolean;
  readonly heartbeatIntervalMs?: number;
  /** Default 3000, as Discord. */
  readonly acknowledgeDeadlineMs?: number;
}

export interface FakeDiscord {
  /** `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  /** What discord.js takes as `rest.api` (it adds `/v10`), and DISCORD_API_BASE. */
  readonly apiBase: string;
  readonly cdnBase: string;
  readonly world: FakeWorld;
  /** Every REST call, oldest first. */
  readonly calls: readonly RecordedCall[];
  readonly identifies: readonly IdentifyRecord[];
  readonly commandRegistrations: readonly CommandRegistration[];
  /** Resolves once a bot has identified on the gateway and received its guilds. */
  waitForBot(timeoutMs?: number): Promise<void>;

  sendGuildMessage(options: GuildMessageOptions): DispatchedMessage;
  sendThreadMessage(options: GuildMessageOptions): DispatchedMessage;
  sendDirectMessage(options: UserMessageOptions): DispatchedMessage;
  runSlashCommand(options: SlashCommandOptions): DispatchedInteraction;
  runAutocomplete(options: AutocompleteOptions): DispatchedInteraction;
  runMessageContextMenu(options: ContextMenuOptions): DispatchedInteraction;
  /** Makes bytes downloadable from the CDN and returns the attachment object to put on a message. */
  registerAttachment(options: AttachmentOptions): AttachmentPayload;

  /** `route` is the path without `/api/v10`; `"/channels/:id/messages"` matches any id. */
  waitForCall(method: string, route: RoutePattern, predicate?: CallPredicate, timeoutMs?: number): Promise<RecordedCall>;
  findCalls(method: string, route: RoutePattern, predicate?: CallPredicate): RecordedCall[];
  /** The bot's messages in a channel as they read now, interaction responses and follow-ups included. */
  visibleMessages(channelId: string): VisibleMessage[];
  /** An interaction's callbacks (type and arrival time) and original response. */
  interaction(token: string): InteractionRecord | undefined;

  /** The next `times` matching calls get a 429 with `retry_after` and the `x-ratelimit-*` headers. */
  injectRateLimit(options: RateLimitOptions): void;
  injectFailure(options: FailureOptions): void;
  /** Cancels every injected failure and rate limit still pending. */
  clearInjectedFailures(): void;
  /** Drops every gateway connection without a close frame (1006); the bot may resume its session. */
  dropGatewayConnections(): void;
  /** Sessions resumed after a dropped connection. */
  readonly gatewayResumes: () => number;
  close(): Promise<void>;
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const world = options.world ?? defaultWorld;
  const state = new FakeDiscordState(world, {
    token: options.token,
    acknowledgeDeadlineMs: options.acknowledgeDeadlineMs ?? 3_000,
  });
  const server = createServer(createRequestHandler(state));
  const gateway = new FakeGateway(server, {
    world,
    url: () => state.baseUrl.replace(/^http/, "ws"),
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    rejectMessageContentIntent: options.rejectMessageContentIntent ?? false,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const messages = new MessageHooks(state, gateway);
  const interactions = new InteractionHooks(state, gateway);

  return {
    baseUrl: state.baseUrl,
    apiBase: `${state.baseUrl}/api`,
    cdnBase: `${state.baseUrl}/cdn`,
    world,
    calls: state.calls.calls,
    identifies: gateway.identifies,
    commandRegistrations: state.commandRegistrations,
    waitForBot: (timeoutMs) => gateway.waitForSession(timeoutMs),
    sendGuildMessage: (message) => messages.guildMessage(message),
    sendThreadMessage: (message) => messages.threadMessage(message),
    sendDirectMessage: (message) => messages.directMessage(message),
    runSlashCommand: (command) => interactions.slashCommand(command),
    runAutocomplete: (command) => interactions.autocomplete(command),
    runMessageContextMenu: (command) => interactions.messageContextMenu(command),
    registerAttachment: (attachment) => registerAttachment(state, attachment),
    waitForCall: (method, route, predicate, timeoutMs) => state.calls.waitForCall(method, route, predicate, timeoutMs),
    findCalls: (method, route, predicate) => state.calls.find(method, route, predicate),
    visibleMessages: (channelId) => state.board.visible(channelId),
    interaction: (token) => state.interactions.get(token),
    injectRateLimit: (failure) => state.failures.add(rateLimitFailure(failure)),
    injectFailure: (failure) => state.failures.add(statusFailure(failure)),
    clearInjectedFailures: () => state.failures.clear(),
    dropGatewayConnections: () => gateway.dropConnections(),
    gatewayResumes: () => gateway.resumes,
    async close() {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
