import { createHash } from "node:crypto";
import { estimateTextTokens } from "../models/token-estimate.js";
import type { KeyValueStore } from "../ports/key-value-store.js";

/** A file of a user's turn kept once, outside the conversation's history, which names it by this. */
export interface DocumentReference {
  /** SHA-256 of the text: the same file sent twice, or in two chats, is stored once. */
  readonly hash: string;
  /** About what the text costs in a prompt, known without reading it. */
  readonly tokens: number;
  /** The file's label line ("File notes.pdf (12 pages):"), for a turn whose text is gone. */
  readonly label: string;
}

/**
 * A file's text longer than this is kept by reference, so the history row stays small (a turn
 * can carry 600,000 characters of PDF) and is not read whole with every message; a shorter one
 * stays in its turn's text.
 */
export const inlineDocumentCharacters = 2_000;
/** As long as a conversation is kept (history.ts); sending the file again keeps it longer. */
const documentTimeToLiveMs = 30 * 24 * 60 * 60_000;

function labelOf(text: string): string {
  const firstLine = text.slice(0, 300).split("\n", 1)[0] ?? "";
  return firstLine.slice(0, 200);
}

/** Stores a file's text once by its hash (again only refreshing its expiry) and returns the reference. */
export async function storeDocument(store: KeyValueStore, text: string): Promise<DocumentReference> {
  const hash = createHash("sha256").update(text).digest("hex");
  await store.set("documents", hash, text, documentTimeToLiveMs);
  return { hash, tokens: estimateTextTokens(text), label: labelOf(text) };
}

/** The text of a stored file; undefined once it has expired. */
export function loadDocument(store: KeyValueStore, reference: DocumentReference): Promise<string | undefined> {
  return store.get<string>("documents", reference.hash);
}
