/** What the fake remembers between calls; shared by the REST routes, the gateway hooks and the test hooks. */
import { CallLog } from "./call-log.js";
import { InjectedFailures } from "./injected-failures.js";
import { MessageBoard } from "./message-board.js";
import type { Json } from "./payloads.js";
import type { FakeUser, FakeWorld } from "./world.js";

export interface InteractionCallback {
  /** 4 message, 5 deferred message ("thinking"), 8 autocomplete result, ... */
  readonly type: number;
  /** `performance.now()` when it arrived. */
  readonly at: number;
  readonly data: unknown;
}

export interface InteractionRecord {
  readonly id: string;
  readonly token: string;
  readonly channelId: string;
  readonly guildId: string | undefined;
  readonly user: FakeUser;
  /** `performance.now()` when the fake dispatched it. */
  readonly dispatchedAt: number;
  readonly callbacks: InteractionCallback[];
  /** The message the first callback created (a deferred one shows "thinking" until edited). */
  originalMessageId: string | undefined;
}

export interface CommandRegistration {
  readonly scope: "global" | "guild";
  readonly guildId: string | undefined;
  readonly commands: readonly Json[];
}

export interface StoredFile {
  readonly bytes: Uint8Array;
  readonly contentType: string;
}

export interface FakeDiscordSettings {
  readonly token: string | undefined;
  /** Discord forgets an interaction that is not acknowledged within 3 s. */
  readonly acknowledgeDeadlineMs: number;
}

export class FakeDiscordState {
  readonly calls = new CallLog();
  readonly board = new MessageBoard();
  readonly failures = new InjectedFailures();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly commandRegistrations: CommandRegistration[] = [];
  /** CDN downloads by path (`/cdn/attachments/...`). */
  readonly files = new Map<string, StoredFile>();
  /** DM channels that exist because a user wrote to the bot or ran a command in its DM. */
  readonly directMessageChannels = new Set<string>();
  baseUrl = "";

  constructor(
    readonly world: FakeWorld,
    readonly settings: FakeDiscordSettings,
  ) {}

  interactionByIdAndToken(id: string, token: string): InteractionRecord | undefined {
    const record = this.interactions.get(token);
    return record?.id === id ? record : undefined;
  }
}
