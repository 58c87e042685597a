/**
 * What an adapter offers the live reply presenter: a place to show parts of a reply and to edit
 * them while the answer streams in. The presenter decides when and what; the adapter only
 * converts markdown to its platform's markup and talks to its platform.
 */
export interface ReplySurface {
  /** Shows "typing" (or the platform's equivalent). May be called repeatedly. */
  showWorking(): Promise<void>;
  /**
   * Sends one part (markdown, within the platform's limit) as a new message; returns its id.
   * `final` is true once the text is the final reply's; a part whose text did not change at the
   * end is not edited again, so a surface must not rely on seeing `final` for every part.
   */
  sendPart(markdown: string, options: { readonly final: boolean }): Promise<string>;
  /** Replaces the text of a part sent earlier. */
  editPart(messageId: string, markdown: string, options: { readonly final: boolean }): Promise<void>;
  /**
   * Removes a part that no longer carries the reply: one the final text no longer needs, or one
   * that was sent again as a new message after its final edit failed. Optional: without it such
   * parts stay as they were last shown.
   */
  deletePart?(messageId: string): Promise<void>;
}

export interface LiveReplyOptions {
  /** The platform's message length limit (Telegram 4096, Discord 2000). */
  readonly maxPartLength: number;
  /** Streaming edits are sent at most this often (about a second on both platforms). */
  readonly minEditIntervalMs: number;
  /** How often "typing" is renewed while nothing is visible (Telegram and Discord show it ~5 s); default 4000. */
  readonly workingIntervalMs?: number;
}
