import type { RequestCost } from "../conversation/request-cost.js";
import { AttachmentTooLargeError, BadInputError, UnsupportedMediaError } from "../errors.js";
import { completeModelCall, type ModelCallServices } from "../generation/run-model-call.js";
import type { DocumentTextExtractor, ExtractedDocument, ImageNormalizer } from "../ports/media.js";
import type { ModelClient } from "../ports/model-client.js";
import type { Attachment } from "../request.js";
import type { DocumentText } from "../documents/document-text.js";
import { attachmentKindOf } from "./attachment-kind.js";
import {
  attachmentLimits,
  imageLimits,
  maxDocumentCharacters,
  maxDocumentPages,
  maxImagePixelsPerMessage,
  maxImagesPerRequest,
  supportedKindsText,
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

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

async function fetchWithin(attachment: Attachment, maxBytes: number, what: string): Promise<Uint8Array> {
  if (attachment.declaredSize !== undefined && attachment.declaredSize > maxBytes) {
    throw new BadInputError(`${shownName(attachment.name)} is too large: I read ${what} up to ${megabytes(maxBytes)}. Send a smaller one.`);
  }
  try {
    return await attachment.fetch(maxBytes);
  } catch (error) {
    if (error instanceof AttachmentTooLargeError) {
      throw new BadInputError(`${shownName(attachment.name)} is too large: I read ${what} up to ${megabytes(maxBytes)}. Send a smaller one.`);
    }
    throw error;
  }
}

function decodeText(bytes: Uint8Array, name: string): string {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  // Many replacement characters mean a binary file with a text-like name.
  const replacements = text.split("\uFFFD").length - 1;
  if (replacements > Math.max(8, text.length / 100)) {
    throw new BadInputError(`${shownName(name)} does not look like a text file. I can read ${supportedKindsText}.`);
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
 * ends the request.
 */
export async function prepareAttachments(
  attachments: readonly Attachment[],
  services: AttachmentServices,
  signal: AbortSignal | undefined,
  cost?: RequestCost,
): Promise<PreparedAttachments> {
  const documents: string[] = [];
  const documentTexts: DocumentText[] = [];
  const images: PreparedImage[] = [];
  const transcripts: string[] = [];
  const imageCount = attachments.filter((attachment) => attachmentKindOf(attachment) === "image").length;
  if (imageCount > maxImagesPerRequest) {
    throw new BadInputError(`That is ${imageCount} images; I can look at ${maxImagesPerRequest} at most per message.`);
  }
  let pixelsLeft: number = maxImagePixelsPerMessage;
  async function prepareOne(attachment: Attachment): Promise<void> {
    switch (attachmentKindOf(attachment)) {
      case "image": {
        const bytes = await fetchWithin(attachment, attachmentLimits.imageBytes, "images");
        const image = await services.images.normalize(bytes, { ...imageLimits, maxInputPixels: pixelsLeft });
        pixelsLeft -= image.sourcePixels;
        images.push({ name: attachment.name, dataUrl: `data:${image.mimeType};base64,${Buffer.from(image.bytes).toString("base64")}` });
        return;
      }
      case "text": {
        const bytes = await fetchWithin(attachment, attachmentLimits.textBytes, "text files");
        const text = decodeText(bytes, attachment.name);
        documents.push(labelled(attachment.name, text));
        documentTexts.push({ name: attachment.name, kind: "text", text });
        return;
      }
      case "pdf": {
        const bytes = await fetchWithin(attachment, attachmentLimits.pdfBytes, "PDFs");
        const pdf = await services.documents.extractPdfText(bytes, { maxPages: maxDocumentPages, maxCharacters: maxDocumentCharacters });
        if (pdf.text.trim() === "") {
          throw new BadInputError(`${shownName(attachment.name)} has no text layer (it looks scanned). Send the pages as images instead.`);
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
        const bytes = await fetchWithin(attachment, attachmentLimits.audioBytes, "voice messages and audio");
        const transcription = new TranscriptionCall(
          services.registry.chain("transcribe"),
          services.clock.now(),
          { bytes, fileName: attachment.name, mimeType: attachment.mimeType },
          services.client,
        );
        const { outcome: transcript } = await completeModelCall(transcription, services, signal);
        cost?.add("transcription", transcriptionBudgetCharge);
        if (transcript === "") throw new BadInputError(`I could not hear any words in ${shownName(attachment.name)}. Try again closer to the microphone.`);
        transcripts.push(transcript);
        return;
      }
      case "unsupported":
        throw new BadInputError(`I can't read ${shownName(attachment.name)} (${shownName(attachment.mimeType || "unknown type")}). I can read ${supportedKindsText}.`);
    }
  }
  for (const attachment of attachments) {
    try {
      await prepareOne(attachment);
    } catch (error) {
      if (error instanceof UnsupportedMediaError) throw new BadInputError(`${shownName(attachment.name)}: ${error.message}`);
      throw error;
    }
  }
  return { documents, documentTexts, images, transcripts };
}
