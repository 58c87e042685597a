/**
 * The gateway: a WebSocket on the same port as REST. Hello, heartbeat acks, IDENTIFY answered with
 * READY and a GUILD_CREATE per guild (discord.js waits 15 s for missing guilds), then dispatches.
 */
import type { Server } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import { guildCreatePayload, readyPayload, type Json } from "./payloads.js";
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
  /** Events sent while the connection was down, replayed on RESUME. */
  readonly missed: { readonly eventName: string; readonly data: Json }[];
}

export interface IdentifyRecord {
  readonly intents: number;
  readonly token: string;
  /** Whether the fake closed the connection with 4014 for it. */
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
   * Sends a dispatch to every identified session; throws when no bot is connected. While a
   * dropped session waits to resume, its events are kept and replayed on RESUME, as Discord does.
   */
  dispatch(eventName: string, data: Json): void {
    if (this.sessions.size === 0 && this.dropped.size > 0) {
      for (const session of this.dropped) session.missed.push({ eventName, data });
      return;
    }
    if (this.sessions.size === 0) throw new Error(`No bot is connected to the fake gateway to receive ${eventName}.`);
    for (const session of this.sessions) {
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
    const rejected = this.options.rejectMessageContentIntent && (intents & messageContentIntent) !== 0;
    this.identifies.push({ intents, token: String(identify["token"]), rejected });
    if (rejected) {
      socket.close(disallowedIntentsCloseCode, "Disallowed intent(s).");
      return undefined;
    }
    const sessionId = `fake-session-${++this.sessionCounter}`;
    const session: Session = { socket, id: sessionId, sequence: 0, intents, missed: [] };
    this.resumable.set(sessionId, session);
    this.send(session, "READY", readyPayload(this.options.world, this.options.url(), sessionId));
    for (const guild of this.options.world.guilds) this.send(session, "GUILD_CREATE", guildCreatePayload(this.options.world, guild));
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
