import type { RequestCost } from "../conversation/request-cost.js";
import { AttachmentTooLargeError, BadInputError, UnsupportedMediaError } from "../errors.js";
import { completeModelCall, type ModelCallServices } from "../generation/run-model-call.js";
import type { MessageKey } from "../language/catalog.js";
import { defaultLanguage } from "../language/languages.js";
import { wordingFor, type Wording } from "../language/wording.js";
import type { DocumentTextExtractor, ExtractedDocument, ImageNormalizer } from "../ports/media.js";
import type { ModelClient } from "../ports/model-client.js";
import type { Attachment } from "../request.js";
import type { DocumentText } from "../documents/document-text.js";
import { attachmentKindOf } from "./attachment-kind.js";
import { mediaProblemText } from "./media-problem.js";
import {
  attachmentLimits,
  imageLimits,
  maxDocumentCharacters,
  maxDocumentPages,
  maxImagePixelsPerMessage,
  maxImagesPerRequest,
} from "./limits.js";
import { TranscriptionCall, transcriptionBudgetCharge } from "./transcription-call.js";

export interface PreparedImage {
  readonly name: string;
  readonly dataUrl: string;
}

export interface PreparedAttachments {
  /** File contents, each labelled with its file name, to add to the user's message. */
  readonly documents: readonly string[];
  /** The same files as text with their names and pages: what is read in parts when too large for every model. */
  readonly documentTexts: readonly DocumentText[];
  readonly images: readonly PreparedImage[];
  /** What voice messages said: becomes the user's words. */
  readonly transcripts: readonly string[];
}

/** What preparing attachments needs: media decoders, and the transcribe chain through the fallback engine. */
export interface AttachmentServices extends ModelCallServices {
  readonly client: ModelClient;
  readonly images: ImageNormalizer;
  readonly documents: DocumentTextExtractor;
}

/**
 * A file name as the user wrote it, shown so it cannot turn into markup: a name such as
 * "[Support](https://evil.example)" would otherwise become a live link in the reply.
 */
export function shownName(name: string): string {
  return `\`${name.replaceAll("`", "'").slice(0, 120)}\``;
}

async function fetchWithin(attachment: Attachment, maxBytes: number, what: MessageKey, words: Wording): Promise<Uint8Array> {
  const tooLarge = () => new BadInputError(words.say("attachment.tooLarge", { name: shownName(attachment.name), what: words.say(what), size: Math.round(maxBytes / 1024 / 1024) }));
  if (attachment.declaredSize !== undefined && attachment.declaredSize > maxBytes) throw tooLarge();
  try {
    return await attachment.fetch(maxBytes);
  } catch (error) {
    if (error instanceof AttachmentTooLargeError) throw tooLarge();
    throw error;
  }
}

function decodeText(bytes: Uint8Array, name: string, words: Wording): string {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  // Many replacement characters mean a binary file with a text-like name.
  const replacements = text.split("\uFFFD").length - 1;
  if (replacements > Math.max(8, text.length / 100)) {
    throw new BadInputError(words.say("attachment.notText", { name: shownName(name), kinds: words.say("attachment.supportedKinds") }));
  }
  return text;
}

const cutReasons = {
  page_limit: `I read ${maxDocumentPages} pages at most`,
  text_limit: `I read ${maxDocumentCharacters.toLocaleString("en-US")} characters at most`,
  time_limit: "it took too long to read",
  memory_limit: "it needed too much memory to read",
} as const;

/** What a PDF's label says was read: the page count, and when reading stopped early, where and why. */
function pdfReadNote(pdf: ExtractedDocument): { label: string; tail: string } {
  const pages = `${pdf.pages} page${pdf.pages === 1 ? "" : "s"}`;
  if (pdf.cut === undefined) return { label: pages, tail: "" };
  // Only the page limit stops between pages; the other limits may stop inside the last page read.
  const read = pdf.cut === "page_limit" ? `read pages 1–${pdf.pagesRead} of ${pdf.pages}` : `read up to page ${pdf.pagesRead} of ${pdf.pages}`;
  return { label: `${pages}; ${read}, the rest was not read`, tail: `\n[… cut: ${read} (${cutReasons[pdf.cut]}); the rest was not read]` };
}

function labelled(name: string, text: string): string {
  const fence = text.includes("```") ? "~~~~" : "```";
  return `File ${name}:\n${fence}\n${text}\n${fence}`;
}

/**
 * Turns attachments into what models take: images as data URLs within Groq's limits (scaled
 * down rather than refused), text and PDFs as labelled text, voice as a transcript. Anything
 * unreadable becomes a `BadInputError` whose message tells the user what to send instead. Each
 * transcription is charged to `cost` as it is made, so that it counts even when a later file
 * ends the request. The refusals are in the user's language (`words`).
 */
export async function prepareAttachments(
  attachments: readonly Attachment[],
  services: AttachmentServices,
  signal: AbortSignal | undefined,
  cost?: RequestCost,
  words: Wording = wordingFor(defaultLanguage),
): Promise<PreparedAttachments> {
  const documents: string[] = [];
  const documentTexts: DocumentText[] = [];
  const images: PreparedImage[] = [];
  const transcripts: string[] = [];
  const imageCount = attachments.filter((attachment) => attachmentKindOf(attachment) === "image").length;
  if (imageCount > maxImagesPerRequest) {
    throw new BadInputError(words.say("attachment.tooManyImages", { count: imageCount, limit: maxImagesPerRequest }));
  }
  let pixelsLeft: number = maxImagePixelsPerMessage;
  async function prepareOne(attachment: Attachment): Promise<void> {
    switch (attachmentKindOf(attachment)) {
      case "image": {
        const bytes = await fetchWithin(attachment, attachmentLimits.imageBytes, "attachment.kind.images", words);
        const image = await services.images.normalize(bytes, { ...imageLimits, maxInputPixels: pixelsLeft });
        pixelsLeft -= image.sourcePixels;
        images.push({ name: attachment.name, dataUrl: `data:${image.mimeType};base64,${Buffer.from(image.bytes).toString("base64")}` });
        return;
      }
      case "text": {
        const bytes = await fetchWithin(attachment, attachmentLimits.textBytes, "attachment.kind.textFiles", words);
        const text = decodeText(bytes, attachment.name, words);
        if (text.trim() === "") throw new BadInputError(words.say("attachment.blank", { name: shownName(attachment.name) }));
        documents.push(labelled(attachment.name, text));
        documentTexts.push({ name: attachment.name, kind: "text", text });
        return;
      }
      case "pdf": {
        const bytes = await fetchWithin(attachment, attachmentLimits.pdfBytes, "attachment.kind.pdfs", words);
        const pdf = await services.documents.extractPdfText(bytes, { maxPages: maxDocumentPages, maxCharacters: maxDocumentCharacters });
        if (pdf.text.trim() === "") {
          throw new BadInputError(words.say("attachment.scanned", { name: shownName(attachment.name) }));
        }
        const note = pdfReadNote(pdf);
        const text = pdf.text.slice(0, maxDocumentCharacters);
        documents.push(labelled(`${attachment.name} (${note.label})`, `${text}${note.tail}`));
        documentTexts.push({
          name: attachment.name,
          kind: "pdf",
          text,
          ...(pdf.pageStarts === undefined ? {} : { pageStarts: pdf.pageStarts }),
          ...(note.tail === "" ? {} : { unreadNote: note.tail.trim().replace(/^\[…\s*|\]$/g, "") }),
        });
        return;
      }
      case "audio": {
        const bytes = await fetchWithin(attachment, attachmentLimits.audioBytes, "attachment.kind.audio", words);
        const transcription = new TranscriptionCall(
          services.registry.chain("transcribe"),
          services.clock.now(),
          { bytes, fileName: attachment.name, mimeType: attachment.mimeType },
          services.client,
        );
        const { outcome: transcript } = await completeModelCall(transcription, services, signal);
        cost?.add("transcription", transcriptionBudgetCharge);
        if (transcript === "") throw new BadInputError(words.say("attachment.nothingHeard", { name: shownName(attachment.name) }));
        transcripts.push(transcript);
        return;
      }
      case "unsupported":
        throw new BadInputError(
          words.say("attachment.unsupported", {
            name: shownName(attachment.name),
            type: shownName(attachment.mimeType || words.say("attachment.unknownType")),
            kinds: words.say("attachment.supportedKinds"),
          }),
        );
    }
  }
  for (const attachment of attachments) {
    try {
      await prepareOne(attachment);
    } catch (error) {
      if (error instanceof UnsupportedMediaError) throw new BadInputError(`${shownName(attachment.name)}: ${mediaProblemText(error.problem, words)}`);
      throw error;
    }
  }
  return { documents, documentTexts, images, transcripts };
}
