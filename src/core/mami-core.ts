import type { ReplyStream } from "./reply.js";
import type { ChatRequest } from "./request.js";
import type { AnswerRole } from "./roles.js";

/** A conversation's pin: a role or a single model that overrides routing; absent means auto. */
export type ConversationPin = { readonly role: AnswerRole } | { readonly model: string };

export interface ModelStatusRow {
  readonly model: string;
  readonly roles: readonly string[];
  readonly live: boolean;
  readonly requestsPerDayRemaining: number | undefined;
  readonly tokensPerMinuteRemaining: number | undefined;
  /** Milliseconds until it can take a request again; 0 when it can now. */
  readonly availableInMs: number;
  readonly note?: string;
}

/**
 * Everything adapters, commands and the CLI may ask of the core. Adapters hold no other core
 * object, so the same behaviour reaches every platform.
 */
export interface MamiCore {
  /** Runs the whole pipeline for one addressed message. Never throws: errors become a final reply. */
  handle(request: ChatRequest, options?: { readonly signal?: AbortSignal }): ReplyStream;
  /** Tells the core which bot messages carried the reply, so that replies to them continue it. */
  rememberReply(request: ChatRequest, botMessageIds: readonly string[]): Promise<void>;
  resetConversation(request: ChatRequest): Promise<void>;
  getPin(request: ChatRequest): Promise<ConversationPin | undefined>;
  setPin(request: ChatRequest, pin: ConversationPin | undefined): Promise<void>;
  /** Model ids that a conversation may pin (the live models of every answer role). */
  pinnableModels(): readonly string[];
  modelStatus(): Promise<readonly ModelStatusRow[]>;
  /** Usage of the request's author today. */
  usageToday(request: ChatRequest): Promise<{ readonly tokens: number; readonly requests: number }>;
}
