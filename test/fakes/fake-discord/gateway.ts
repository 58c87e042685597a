/**
 * The gateway: a WebSocket on the same port as REST. Hello, heartbeat acks, IDENTIFY answered with
 * READY and a GUILD_CREATE per guild of the session's shard (discord.js waits 15 s for missing
 * guilds), then dispatches, each to the sessions of its guild's shard (shard-routing.ts).
 */
import type { Server } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import { guildCreatePayload, readyPayload, type Json } from "./payloads.js";
import { invalidShardCloseCode, isGuildOfShard, readShard, receivesEvent, unsharded, type ShardIdentity } from "./shard-routing.js";
import type { FakeWorld } from "./world.js";

/** The privileged intent that must be switched on in the Developer Portal. */
const messageContentIntent = 1 << 15;
export const disallowedIntentsCloseCode = 4014;

export interface GatewayOptions {
  readonly world: FakeWorld;
  readonly url: () => string;
  readonly heartbeatIntervalMs: number;
  /** Close with 4014 when IDENTIFY asks for MessageContent, as Discord does when it is not enabled. */
  readonly rejectMessageContentIntent: boolean;
}

interface Session {
  socket: WebSocket;
  readonly id: string;
  sequence: number;
  readonly intents: number;
  readonly shard: ShardIdentity;
  /** Events sent while the connection was down, replayed on RESUME. */
  readonly missed: { readonly eventName: string; readonly data: Json }[];
}

export interface IdentifyRecord {
  readonly intents: number;
  readonly token: string;
  /** The `shard` the client sent, [shard_id, num_shards]; undefined when it sent none or an invalid one. */
  readonly shard: ShardIdentity | undefined;
  /** The guilds READY announced and GUILD_CREATE delivered: those of the session's shard. */
  readonly guildIds: readonly string[];
  /** Whether the fake closed the connection for it: 4014 for a disallowed intent, 4010 for an invalid shard. */
  readonly rejected: boolean;
}

export class FakeGateway {
  private readonly server: WebSocketServer;
  private readonly sessions = new Set<Session>();
  /** Every session ever identified, by id, so that a client that lost its connection can resume. */
  private readonly resumable = new Map<string, Session>();
  /** Sessions whose connection was dropped and that have not resumed yet. */
  private readonly dropped = new Set<Session>();
  private readonly readyListeners = new Set<() => void>();
  /** Resumes accepted, for tests of reconnection. */
  resumes = 0;
  readonly identifies: IdentifyRecord[] = [];
  private sessionCounter = 0;

  constructor(
    httpServer: Server,
    private readonly options: GatewayOptions,
  ) {
    this.server = new WebSocketServer({ server: httpServer });
    this.server.on("connection", (socket) => this.accept(socket));
  }

  get connectedSessions(): number {
    return this.sessions.size;
  }

  /**
   * Sends a dispatch to every identified session of the event's shard; throws when none is
   * connected. While a dropped session waits to resume, its events are kept and replayed on
   * RESUME, as Discord does.
   */
  dispatch(eventName: string, data: Json): void {
    const receivers = [...this.sessions].filter((session) => receivesEvent(data, session.shard));
    const waiting = [...this.dropped].filter((session) => receivesEvent(data, session.shard));
    if (receivers.length === 0 && waiting.length > 0) {
      for (const session of waiting) session.missed.push({ eventName, data });
      return;
    }
    if (receivers.length === 0) {
      const place = typeof data["guild_id"] === "string" ? `guild ${data["guild_id"]}` : "a DM";
      throw new Error(`No bot is connected to the fake gateway on the shard of ${place} to receive ${eventName}.`);
    }
    for (const session of receivers) {
      const readable = eventName === "MESSAGE_CREATE" && (session.intents & messageContentIntent) === 0;
      this.send(session, eventName, readable ? withoutMessageContent(data, this.options.world.bot.id) : data);
    }
  }

  /** Resolves once a bot has identified and received its guilds. */
  waitForSession(timeoutMs = 10_000): Promise<void> {
    if (this.sessions.size > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.readyListeners.delete(listener);
        reject(new Error(`No bot identified within ${timeoutMs} ms.`));
      }, timeoutMs);
      const listener = (): void => {
        clearTimeout(timer);
        this.readyListeners.delete(listener);
        resolve();
      };
      this.readyListeners.add(listener);
    });
  }

  /**
   * Drops every connection without a close frame, as a crashed proxy or a network fault would
   * (the client sees 1006). The sessions stay resumable.
   */
  dropConnections(): void {
    for (const session of [...this.sessions]) {
      this.sessions.delete(session);
      this.dropped.add(session);
      session.socket.terminate();
    }
  }

  async close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.options.heartbeatIntervalMs }, s: null, t: null }));
    let session: Session | undefined;
    socket.on("message", (raw: Buffer) => {
      const packet = JSON.parse(raw.toString("utf8")) as { op: number; d: Json | null };
      if (packet.op === 1) socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      if (packet.op === 2 && packet.d !== null) session = this.identify(socket, packet.d);
      if (packet.op === 6 && packet.d !== null) session = this.resume(socket, packet.d);
    });
    socket.on("close", () => {
      if (session !== undefined) this.sessions.delete(session);
    });
  }

  private identify(socket: WebSocket, identify: Json): Session | undefined {
    const intents = Number(identify["intents"] ?? 0);
    const token = String(identify["token"]);
    const shard = readShard(identify["shard"]);
    const refuse = (closeCode: number, reason: string): undefined => {
      this.identifies.push({ intents, token, shard: shard === "invalid" ? undefined : shard, guildIds: [], rejected: true });
      socket.close(closeCode, reason);
      return undefined;
    };
    if (shard === "invalid") return refuse(invalidShardCloseCode, "Invalid shard.");
    if (this.options.rejectMessageContentIntent && (intents & messageContentIntent) !== 0) return refuse(disallowedIntentsCloseCode, "Disallowed intent(s).");
    const sessionId = `fake-session-${++this.sessionCounter}`;
    const session: Session = { socket, id: sessionId, sequence: 0, intents, shard: shard ?? unsharded, missed: [] };
    const guilds = this.options.world.guilds.filter((guild) => isGuildOfShard(guild.id, session.shard));
    this.identifies.push({ intents, token, shard, guildIds: guilds.map((guild) => guild.id), rejected: false });
    this.resumable.set(sessionId, session);
    const world = this.options.world;
    this.send(session, "READY", readyPayload(world, { gatewayUrl: this.options.url(), sessionId, shard: session.shard, guilds }));
    for (const guild of guilds) this.send(session, "GUILD_CREATE", guildCreatePayload(world, guild));
    this.sessions.add(session);
    for (const listener of [...this.readyListeners]) listener();
    return session;
  }

  /** RESUME: a known session goes on where it was (RESUMED); an unknown one must identify again. */
  private resume(socket: WebSocket, resume: Json): Session | undefined {
    const session = this.resumable.get(String(resume["session_id"]));
    if (session === undefined) {
      socket.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
      return undefined;
    }
    session.socket = socket;
    this.dropped.delete(session);
    this.sessions.add(session);
    this.resumes += 1;
    this.send(session, "RESUMED", {});
    for (const event of session.missed.splice(0)) this.send(session, event.eventName, event.data);
    return session;
  }

  private send(session: Session, eventName: string, data: Json): void {
    session.sequence += 1;
    session.socket.send(JSON.stringify({ op: 0, d: data, s: session.sequence, t: eventName }));
  }
}

/**
 * Without the Message Content intent Discord blanks the text and files of guild messages, except
 * those that mention the bot; DMs keep theirs.
 */
function withoutMessageContent(message: Json, botId: string): Json {
  const inGuild = message["guild_id"] !== undefined;
  const mentions = (message["mentions"] ?? []) as { id: string }[];
  if (!inGuild || mentions.some((user) => user.id === botId)) return message;
  return { ...message, content: "", attachments: [], embeds: [], components: [] };
}
