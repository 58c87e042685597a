import { wordingOf, type Wording } from "../language/wording.js";
import { attachmentKindOf } from "../attachments/attachment-kind.js";
import { prepareAttachments, type PreparedAttachments } from "../attachments/prepare-attachments.js";
import { locationKey, resolveConversationId } from "../conversation/conversation-key.js";
import { historyTokens, loadHistory, resolveHistory, type HistoryTurn } from "../conversation/history.js";
import type { RequestCost } from "../conversation/request-cost.js";
import { loadSettings, type ConversationPin } from "../conversation/settings.js";
import type { DocumentText } from "../documents/document-text.js";
import { BadInputError } from "../errors.js";
import { estimateTextTokens, imageTokenEstimate } from "../models/token-estimate.js";
import type { ChatRequest } from "../request.js";
import type { CoreServices } from "../services.js";
import { recentGroupMessagesBlock } from "./recent-group-messages.js";

/** Step 2's hand-off: everything later steps need about the message, read and decoded once. */
export interface PreparedRequest {
  readonly request: ChatRequest;
  readonly conversationId: string;
  /** Earlier turns of the conversation since its last reset, oldest first. */
  readonly history: readonly HistoryTurn[];
  readonly pin: ConversationPin | undefined;
  /** The user's turn as models read it: quoted message, transcripts, text, files. */
  readonly userText: string;
  /** The same turn without its files: how it starts. */
  readonly userWords: string;
  /** The files of the turn, each labelled with its name: how `userText` ends, in order. */
  readonly documents: readonly string[];
  /** In a group, the recent messages a fresh mention sees, as one delimited block; empty otherwise. */
  readonly groupContext: string;
  /** The chat's persona, set with /persona. */
  readonly persona: string | undefined;
  /** The files' text with names and pages, for reading in parts (documents/) when too large for every model. */
  readonly documentTexts: readonly DocumentText[];
  readonly imageDataUrls: readonly string[];
  /** What the safety screen reads: everything of the user's turn a model will see. */
  readonly textToScreen: string;
  /** Opens the answer to a voice message: what was heard. */
  readonly heardNote: string;
  /** Prompt, history and attachments together, for routing by size. */
  readonly estimatedTokens: number;
}

/** Whether preparing this request transcribes audio (the user sees "transcribing" meanwhile). */
export function needsTranscription(request: ChatRequest): boolean {
  return [...request.attachments, ...(request.replyTo?.attachments ?? [])].some((attachment) => attachmentKindOf(attachment) === "audio");
}

/**
 * The longest history any answer model takes: its context window or its minute, whichever is
 * smaller (conversation-prompt.ts never gives history more). Stored files beyond it are not read.
 */
function largestHistoryRoom(services: CoreServices): number {
  const { registry } = services;
  return Math.max(0, ...registry.answerModels().map((model) => Math.min(registry.profile(model).contextWindow, registry.state(model).tokensPerMinuteLimit)));
}

/**
 * Step 2: the conversation's history and settings from the store, and the attachments turned
 * into what models take (see prepare-attachments.ts; a transcription is charged to `cost`).
 * Throws `BadInputError` for what cannot be used, with the words for the user.
 */
export async function prepareRequest(request: ChatRequest, services: CoreServices, signal: AbortSignal | undefined, cost?: RequestCost): Promise<PreparedRequest> {
  const { store, config } = services;
  const conversationId = await resolveConversationId(request, store);
  const [storedHistory, { pin, resetAt = 0, persona }, groupContext] = await Promise.all([
    loadHistory(store, conversationId),
    loadSettings(store, locationKey(request)),
    recentGroupMessagesBlock(request, conversationId, services),
  ]);
  const [history, prepared] = await Promise.all([
    resolveHistory(
      store,
      storedHistory.filter((turn) => turn.at > resetAt),
      { maxTurns: config.historyMaxTurns, maxTokens: largestHistoryRoom(services) },
    ),
    prepareAttachments([...request.attachments, ...(request.replyTo?.attachments ?? [])], services, signal, cost, wordingOf(request)),
  ]);
  const userWords = composeUserWords(request, prepared, history.length > 0);
  const userText = [userWords, ...prepared.documents].filter((section) => section !== "").join("\n\n");
  if (userText.trim() === "") throw new BadInputError(wordingOf(request).say("input.empty"));
  const imageDataUrls = prepared.images.map((image) => image.dataUrl);
  const recentHistory = history.slice(-config.historyMaxTurns);
  return {
    request,
    conversationId,
    history,
    pin,
    userText,
    userWords,
    documents: prepared.documents,
    groupContext,
    persona,
    documentTexts: prepared.documentTexts,
    imageDataUrls,
    // The model reads the other members' words too, so the screen does.
    textToScreen: groupContext === "" ? userText : `${groupContext}\n\n${userText}`,
    heardNote: heardNote(prepared, wordingOf(request)),
    estimatedTokens: estimateTextTokens(userText) + estimateTextTokens(groupContext) + imageDataUrls.length * imageTokenEstimate + historyTokens(recentHistory),
  };
}

/**
 * The user's turn as the model reads it, before its files: the quoted message when it adds
 * context, what voice messages said, and the text. The files follow, each labelled with its name.
 */
export function composeUserWords(request: ChatRequest, prepared: PreparedAttachments, continuesHistory: boolean): string {
  const sections: string[] = [];
  const quoted = request.replyTo;
  if (quoted !== undefined && !(quoted.fromBot && continuesHistory) && quoted.text.trim() !== "") {
    sections.push(`(Replying to ${quoted.fromBot ? "your earlier message" : quoted.authorName}: «${quoted.text.trim().slice(0, 4_000)}»)`);
  }
  if (prepared.transcripts.length > 0) sections.push(prepared.transcripts.join("\n"));
  if (request.text.trim() !== "") sections.push(request.text.trim());
  if (sections.length === 0 && prepared.documents.length === 0 && prepared.images.length > 0) sections.push("What is in this image?");
  return sections.join("\n\n");
}

/** A voice message's answer starts by saying briefly what was heard. */
function heardNote(prepared: PreparedAttachments, words: Wording): string {
  if (prepared.transcripts.length === 0) return "";
  const heard = prepared.transcripts.join(" ").replace(/\s+/g, " ").trim();
  return `${words.say("input.heard", { words: heard.length > 300 ? `${heard.slice(0, 297)}…` : heard })}\n\n`;
}
