import { createHash } from "node:crypto";
import type { KeyValueStore } from "../ports/key-value-store.js";
import type { DocumentText } from "./document-text.js";
import type { DocumentPart } from "./parts.js";

/** A part as kept after a reading: its text, and what the model said it covers (for choosing parts later). */
export interface StoredPart extends DocumentPart {
  readonly covers: string;
}

/** A document read in parts, kept by the hash of its text so that later questions read only what they must. */
export interface StoredDocument {
  readonly id: string;
  readonly name: string;
  readonly tokens: number;
  readonly parts: readonly StoredPart[];
  /** What was left unread of it (a PDF beyond the page limit). */
  readonly unreadNote?: string;
}

/** Notes of each part on one question: a part's index → its notes, or null when it said nothing on it. */
export type StoredNotes = Readonly<Record<string, string | null>>;

/** The document a conversation last read: a reply to its answer reads it again. */
export interface DocumentInReach {
  readonly id: string;
  readonly name: string;
  /** The question its answer answered: a follow-up is read in its light. */
  readonly question: string;
}

function hash(text: string): string {
  return createHash("sha256").update(text).digest("base64url").slice(0, 32);
}

/** The same text is the same document, whatever it is called and whoever sends it. */
export function documentIdOf(documents: readonly DocumentText[]): string {
  return hash(documents.map((document) => document.text).join("\u0000"));
}

/** Questions that differ only in case, spacing or a final mark are one question. */
function questionKey(question: string): string {
  return hash(question.toLowerCase().replace(/\s+/g, " ").replace(/[\s?.!]+$/, "").trim());
}

/**
 * Documents, their notes per question, and which document each conversation has in reach, in
 * the store's `documents` namespace, each kept DOCUMENT_KEEP_HOURS after it was last written.
 */
export class DocumentStore {
  constructor(
    private readonly store: KeyValueStore,
    private readonly keepMs: number,
  ) {}

  loadDocument(id: string): Promise<StoredDocument | undefined> {
    return this.store.get<StoredDocument>("documents", `document:${id}`);
  }

  saveDocument(document: StoredDocument): Promise<void> {
    return this.store.set("documents", `document:${document.id}`, document, this.keepMs);
  }

  async loadNotes(id: string, question: string): Promise<StoredNotes> {
    return (await this.store.get<StoredNotes>("documents", `notes:${id}:${questionKey(question)}`)) ?? {};
  }

  saveNotes(id: string, question: string, notes: StoredNotes): Promise<void> {
    return this.store.set("documents", `notes:${id}:${questionKey(question)}`, notes, this.keepMs);
  }

  documentInReach(conversationId: string): Promise<DocumentInReach | undefined> {
    return this.store.get<DocumentInReach>("documents", `reach:${conversationId}`);
  }

  keepInReach(conversationId: string, reach: DocumentInReach): Promise<void> {
    return this.store.set("documents", `reach:${conversationId}`, reach, this.keepMs);
  }
}
