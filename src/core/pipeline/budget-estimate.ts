import { attachmentKindOf } from "../attachments/attachment-kind.js";
import { transcriptionBudgetCharge } from "../attachments/transcription-call.js";
import type { MamiConfig } from "../config/config.js";
import { estimateTextTokens, imageTokenEstimate } from "../models/token-estimate.js";
import type { ChatRequest } from "../request.js";
import type { PreparedRequest } from "./prepare.js";

/**
 * What a request is expected to cost its user's daily budget, held before it runs (usage.ts) and
 * settled at the end with what it really cost. The hold only has to be near the truth: a request
 * that costs more than it held is charged in full, and what is left for the next is smaller.
 */

/** The completion budget an answer's first call asks for before budgets are learned (640 for chat, 1,024 for logic and code). */
const answerAllowanceTokens = 1_024;
/** A file not yet read is held at this; the hold grows to the file's size once it is read. */
const unreadFileTokens = 1_000;
/** The quoted message goes into the prompt up to this long (prepare.ts). */
const quotedCharacters = 4_000;

/** At admission, from the message alone: its words and the quoted message, a share per file, the answer's budget. */
export function admissionEstimate(request: ChatRequest, config: MamiConfig): number {
  const words = estimateTextTokens(request.text) + estimateTextTokens(request.replyTo?.text.slice(0, quotedCharacters) ?? "");
  let read = 0;
  let transcribed = 0;
  for (const attachment of [...request.attachments, ...(request.replyTo?.attachments ?? [])]) {
    const kind = attachmentKindOf(attachment);
    if (kind === "image") read += imageTokenEstimate;
    else if (kind === "text" || kind === "pdf") read += unreadFileTokens;
    else if (kind === "audio") transcribed += transcriptionBudgetCharge;
  }
  // The input screen reads the user's turn again.
  const screened = config.safety === "off" ? 0 : words + read;
  return words + read + transcribed + screened + answerAllowanceTokens;
}

/** Once prepared: what was spent so far (transcription), the prompt with history and files, the screen, the answer's budget. */
export function preparedEstimate(prepared: PreparedRequest, config: MamiConfig, spentSoFar: number): number {
  const screened = config.safety === "off" ? 0 : estimateTextTokens(prepared.textToScreen) + prepared.imageDataUrls.length * imageTokenEstimate;
  return spentSoFar + prepared.estimatedTokens + screened + answerAllowanceTokens;
}
