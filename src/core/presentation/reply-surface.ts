import type { ReplyChoice } from "../reply.js";

/** A platform's limits for one reply. */
export interface SurfaceLimits {
  /** The platform's message length limit (Telegram 4096, Discord 2000). */
  readonly maxPartLength: number;
  /** Streaming edits are sent at most this often (about a second on both platforms). */
  readonly minEditIntervalMs: number;
  /** How often "typing" is renewed while nothing is visible (Telegram and Discord show it ~5 s); default 4000. */
  readonly workingIntervalMs?: number;
}

export interface PartOptions {
  /** True once the text is the final reply's; a part whose text did not change at the end is not edited again. */
  readonly final: boolean;
  /** Shown only to the person who asked, where the platform can (a Discord command's error). */
  readonly onlyForAsker?: boolean;
  /**
   * Buttons under this part while it is not final (a reading's "Stop reading"), for the asker
   * only; an edit without them removes them. Only surfaces that show choices as buttons get them.
   */
  readonly choices?: readonly ReplyChoice[];
  /**
   * The part stands while nothing else moves (a place in the queue, an answer waiting to go
   * on), for as long as a minute: a surface shows it as a message that lasts, not as a passing
   * preview (Telegram clients drop a draft after a short time to live, and as soon as another
   * message lands in the chat).
   */
  readonly lasting?: boolean;
}

/**
 * Where one reply is shown: what an adapter hands the core for each request. The core decides
 * when and what (present-reply.ts); the surface converts markdown to its platform's markup and
 * talks to its platform. Data flows one way: the core calls the surface, never the reverse.
 */
export interface ReplySurface {
  readonly limits: SurfaceLimits;
  /** Whether choices appear as buttons (`finish` adds them); otherwise the core lists them as commands to type. */
  readonly showsChoicesAsButtons: boolean;
  /** Whether `PartOptions.choices` appear as buttons under a part under way; `showsChoicesAsButtons` when absent. */
  readonly showsButtonsUnderParts?: boolean;
  /** Shows "typing" (or the platform's equivalent). May be called repeatedly. */
  showWorking(): Promise<void>;
  /** Sends one part (markdown, within the platform's limit) as a new message; returns its id. */
  sendPart(markdown: string, options: PartOptions): Promise<string>;
  /** Replaces the text of a part sent earlier. */
  editPart(partId: string, markdown: string, options: PartOptions): Promise<void>;
  /**
   * Removes a part that no longer carries the reply: one the final text no longer needs, or one
   * that was sent again as a new message after its final edit failed. Optional: without it such
   * parts stay as they were last shown.
   */
  deletePart?(partId: string): Promise<void>;
  /**
   * Once the final reply is shown: settles what is still pending (Telegram lands its drafts) and
   * adds the choices as buttons. Returns the ids of the messages that carry the reply, which the
   * core remembers so that a reply to any of them continues the conversation.
   */
  finish?(partIds: readonly string[], choices: readonly ReplyChoice[]): Promise<readonly string[]>;
}
