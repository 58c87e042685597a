import type { PageStart } from "../ports/media.js";

/**
 * A document as a user sent it, before any model sees it: a file's text (a PDF's with where its
 * pages begin) or a long text pasted into the message. What is read in parts when it is too
 * large for every model (read-document.ts).
 */
export interface DocumentText {
  /** The file's name as the user sent it; "your message" for pasted text. */
  readonly name: string;
  readonly kind: "pdf" | "text" | "pasted";
  readonly text: string;
  /** For a PDF: where each page with text begins, to cite pages. */
  readonly pageStarts?: readonly PageStart[];
  /** What was left unread (a PDF cut at the page limit), said again with the answer. */
  readonly unreadNote?: string;
}
