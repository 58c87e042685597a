/**
 * Media work the pipeline needs but that belongs to native libraries (image codecs, PDF
 * parsing). Implementations live in src/media.
 */

export interface NormalizedImage {
  /** `image/jpeg`, `image/png` or `image/webp`: what the vision models accept. */
  readonly mimeType: string;
  readonly bytes: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** True when the image was scaled down or re-encoded to fit the limits. */
  readonly resized: boolean;
  /** Width × height of the image as received: what decoding it cost, counted against a message's pixel budget. */
  readonly sourcePixels: number;
}

export interface ImageLimits {
  /** Largest encoded size (the base64 data URL must stay under Groq's 4 MB). */
  readonly maxBytes: number;
  /** Largest pixel count (Groq: 33 megapixels). */
  readonly maxPixels: number;
  /**
   * What is left of the message's pixel budget: an image with more pixels than this is
   * refused before it is decoded. The normalizer's own decompression-bomb cap applies too.
   */
  readonly maxInputPixels?: number;
}

export interface ImageNormalizer {
  /**
   * Decodes JPEG, PNG, WebP or GIF (first frame) and returns an image within the limits,
   * downscaling rather than refusing. Throws `UnsupportedMediaError` for anything else.
   */
  normalize(bytes: Uint8Array, limits: ImageLimits): Promise<NormalizedImage>;
}

export interface DocumentLimits {
  /** Pages read at most, from the first. */
  readonly maxPages: number;
  /** Characters of text returned at most; reading stops once they are reached. */
  readonly maxCharacters: number;
}

/** Why reading stopped before the end of a document. */
export type DocumentCut = "page_limit" | "text_limit" | "time_limit" | "memory_limit";

export interface ExtractedDocument {
  /** The text of the pages read, in order. */
  readonly text: string;
  /** Pages in the document. */
  readonly pages: number;
  /** Pages read from the first, the last of them perhaps only in part; `pages` unless `cut` says why not. */
  readonly pagesRead: number;
  /** Set when reading stopped before the end: the rest of the document was not read. */
  readonly cut?: DocumentCut;
  /**
   * Where each page with text begins in `text` (pages without text are left out), so that a
   * document read in parts can cite its pages.
   */
  readonly pageStarts?: readonly PageStart[];
}

/** A page's number (from 1) and the offset in the document's text where its text begins. */
export interface PageStart {
  readonly page: number;
  readonly offset: number;
}

export interface DocumentTextExtractor {
  /**
   * The text of a PDF, pages in order, stopping at the limits (and at the extractor's own
   * time and memory limits). Throws `UnsupportedMediaError` when it is not a readable PDF,
   * or when nothing could be read within those limits.
   */
  extractPdfText(bytes: Uint8Array, limits: DocumentLimits): Promise<ExtractedDocument>;
}
