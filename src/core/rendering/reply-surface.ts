/**
 * What an adapter offers the live reply presenter: a place to show parts of a reply and to edit
 * them while the answer streams in. The presenter decides when and what; the adapter only
 * converts markdown to its platform's markup and talks to its platform.
 */
export interface ReplySurface {
  /** Shows "typing" (or the platform's equivalent). May be called repeatedly. */
  showWorking(): Promise<void>;
  /** Sends one part (markdown, within the platform's limit) as a new message; returns its id. */
  sendPart(markdown: string, options: { readonly final: boolean }): Promise<string>;
  /** Replaces the text of a part sent earlier. */
  editPart(messageId: string, markdown: string, options: { readonly final: boolean }): Promise<void>;
}

export interface LiveReplyOptions {
  /** The platform's message length limit (Telegram 4096, Discord 2000). */
  readonly maxPartLength: number;
  /** Streaming edits are sent at most this often (about a second on both platforms). */
  readonly minEditIntervalMs: number;
  /** How often "typing" is renewed while nothing is visible (Telegram and Discord show it ~5 s). */
  readonly workingIntervalMs?: number;
}
