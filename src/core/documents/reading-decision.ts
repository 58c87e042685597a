import { resolveConversationId } from "../conversation/conversation-key.js";
import { NoModelAvailableError } from "../errors.js";
import type { ModelCall } from "../generation/model-call.js";
import { estimateMargin, estimateTextTokens } from "../models/token-estimate.js";
import type { PreparedRequest } from "../pipeline/prepare.js";
import { wordingOf, type Wording } from "../language/wording.js";
import { isTooLargeEverywhere } from "../pipeline/replies.js";
import type { CoreServices, ModelServices } from "../services.js";
import type { DocumentText } from "./document-text.js";
import { DocumentStore, documentIdOf, type StoredDocument } from "./document-store.js";
import { shownDocumentName } from "./reading-replies.js";

/** A document to read in parts, and the question to read it for. */
export interface DocumentReading {
  /** The hash of its text: the key it is kept under. */
  readonly id: string;
  /** As shown in replies (markup-safe). */
  readonly shownName: string;
  /** As the user sent it. */
  readonly name: string;
  readonly question: string;
  /** Its text, for a document not read before. */
  readonly documents?: readonly DocumentText[];
  /** Its parts and what they cover, for a document read before. */
  readonly stored?: StoredDocument;
  /** What was left unread of it (a PDF beyond the page limit). */
  readonly unreadNote?: string;
}

/** A message's own text counts as a pasted document past this size (and only when no model takes it whole). */
const pastedDocumentTokens = 4_000;
/** The first or last paragraph of a pasted text is its question when it is at most this long. */
const maxQuestionCharacters = 1_000;
const defaultQuestion = "Summarise the main points of this text.";

/**
 * Whether any candidate may take the whole request in one call: it fits the model's context
 * window, and its prompt with its completion budget fits the model's tokens per minute, as
 * the headers told them, or as the catalog guesses while they have not. A model whose limit
 * is a guess is worth one call (a 413 costs nothing and teaches the real limit): a paid tier's
 * larger minute takes a document whole, so the same code splits less there.
 */
export function someModelMayTakeWhole(call: ModelCall<unknown>, services: ModelServices): boolean {
  return call.spec.candidates.some((model) => {
    const state = services.registry.state(model);
    if (state.isGone) return false;
    const fit = call.fit(services.registry.profile(model), state, services.clock.now());
    if (!fit.fits) return false;
    const cost = Math.ceil(fit.plan.promptTokens * estimateMargin) + fit.plan.completionBudget;
    return cost <= state.tokensPerMinuteLimit || !state.limitsConfirmed;
  });
}

/** A long text pasted into the message: the question is a short first or last paragraph that asks, else a summary. */
function pastedDocument(text: string): { readonly question: string; readonly body: string } {
  const paragraphs = text.trim().split(/\n\s*\n/);
  const first = paragraphs[0]?.trim() ?? "";
  const last = paragraphs.at(-1)?.trim() ?? "";
  const asks = (paragraph: string): boolean => paragraph.length <= maxQuestionCharacters && /[?:？：]\s*$/.test(paragraph);
  if (paragraphs.length > 1 && asks(first)) return { question: first, body: paragraphs.slice(1).join("\n\n") };
  if (paragraphs.length > 1 && asks(last)) return { question: last, body: paragraphs.slice(0, -1).join("\n\n") };
  return { question: defaultQuestion, body: text };
}

function readingName(documents: readonly DocumentText[]): string {
  const [first] = documents;
  if (first === undefined) return "the document";
  return documents.length === 1 ? first.name : `${first.name} and ${documents.length - 1} more`;
}

async function readingOf(documents: readonly DocumentText[], question: string, services: CoreServices, words: Wording): Promise<DocumentReading> {
  const id = documentIdOf(documents);
  const name = readingName(documents);
  const pasted = documents.every((document) => document.kind === "pasted");
  const stored = await new DocumentStore(services.store, services.config.documents.keepMs).loadDocument(id);
  const unread = documents.flatMap((document) => (document.unreadNote === undefined ? [] : [`${document.name}: ${document.unreadNote}`]));
  return {
    id,
    name,
    shownName: shownDocumentName(name, pasted, words),
    question: question.trim() === "" ? defaultQuestion : question,
    // Read before (the same text): its stored parts are read again only where they must be.
    ...(stored === undefined ? { documents } : { stored }),
    ...(unread.length === 0 ? {} : { unreadNote: unread.join("; ") }),
  };
}

/** The documents a request carries: its files, or its own text when that is the long part. */
function documentsOf(prepared: PreparedRequest): { readonly documents: readonly DocumentText[]; readonly question: string } | undefined {
  if (prepared.documentTexts.length > 0) return { documents: prepared.documentTexts, question: prepared.userWords };
  if (estimateTextTokens(prepared.userWords) <= pastedDocumentTokens) return undefined;
  const { question, body } = pastedDocument(prepared.userWords);
  return { documents: [{ name: "your message", kind: "pasted", text: body }], question };
}

/**
 * Step 3½ of the pipeline: whether the request is answered by reading a document in parts.
 * Yes when it carries a document that no model can take whole (by the limits known now), and
 * when it replies to the bot in a conversation whose last document is still kept (the answer's
 * follow-up reads it again, only where it must). Undefined: the ordinary path answers.
 */
export async function documentReadingFor(prepared: PreparedRequest, call: ModelCall<unknown>, services: CoreServices): Promise<DocumentReading | undefined> {
  const carried = documentsOf(prepared);
  if (carried !== undefined) {
    if (someModelMayTakeWhole(call, services)) return undefined;
    return readingOf(carried.documents, carried.question, services, wordingOf(prepared.request));
  }
  if (prepared.request.replyTo?.fromBot !== true) return undefined;
  const store = new DocumentStore(services.store, services.config.documents.keepMs);
  const reach = await store.documentInReach(await resolveConversationId(prepared.request, services.store));
  const stored = reach === undefined ? undefined : await store.loadDocument(reach.id);
  if (reach === undefined || stored === undefined) return undefined;
  return {
    id: stored.id,
    name: stored.name,
    shownName: shownDocumentName(stored.name, stored.name === "your message", wordingOf(prepared.request)),
    question: `${prepared.userWords}\n(This follows the earlier question about it: «${reach.question.slice(0, 500)}»)`,
    stored,
    ...(stored.unreadNote === undefined ? {} : { unreadNote: stored.unreadNote }),
  };
}

/**
 * After the ordinary path found every model too small (a guessed limit turned out to be the
 * free tier's, or a 413), the same request is read in parts if it carries a document.
 */
export async function documentReadingAfter(error: unknown, prepared: PreparedRequest | undefined, services: CoreServices): Promise<DocumentReading | undefined> {
  if (prepared === undefined || !(error instanceof NoModelAvailableError) || error.retryAfterMs !== undefined || !isTooLargeEverywhere(error.attempts)) return undefined;
  const carried = documentsOf(prepared);
  return carried === undefined ? undefined : readingOf(carried.documents, carried.question, services, wordingOf(prepared.request));
}
