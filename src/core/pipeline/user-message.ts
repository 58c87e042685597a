import type { PreparedAttachments } from "../attachments/prepare-attachments.js";
import type { ChatRequest } from "../request.js";

/**
 * The user's turn as the model reads it: the quoted message when it adds context, what voice
 * messages said, the text, then each file labelled with its name.
 */
export function composeUserText(request: ChatRequest, prepared: PreparedAttachments, continuesHistory: boolean): string {
  const sections: string[] = [];
  const quoted = request.replyTo;
  if (quoted !== undefined && !(quoted.fromBot && continuesHistory) && quoted.text.trim() !== "") {
    sections.push(`(Replying to ${quoted.fromBot ? "your earlier message" : quoted.authorName}: «${quoted.text.trim().slice(0, 4_000)}»)`);
  }
  if (prepared.transcripts.length > 0) sections.push(prepared.transcripts.join("\n"));
  if (request.text.trim() !== "") sections.push(request.text.trim());
  sections.push(...prepared.documents);
  if (sections.length === 0 && prepared.images.length > 0) sections.push("What is in this image?");
  return sections.join("\n\n");
}

/** Screening reads the user's own words and the start of any file: intent shows there. */
const screenedDocumentCharacters = 6_000;

export function textToScreen(request: ChatRequest, prepared: PreparedAttachments): string {
  const own = [request.text, ...prepared.transcripts, ...prepared.documents.map((document) => document.slice(0, screenedDocumentCharacters))];
  return own.filter((text) => text.trim() !== "").join("\n\n");
}

/** A voice message's answer starts by saying briefly what was heard. */
export function heardNote(prepared: PreparedAttachments): string {
  if (prepared.transcripts.length === 0) return "";
  const heard = prepared.transcripts.join(" ").replace(/\s+/g, " ").trim();
  return `_Heard: "${heard.length > 300 ? `${heard.slice(0, 297)}…` : heard}"_\n\n`;
}
