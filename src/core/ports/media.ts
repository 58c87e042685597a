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
}

export interface ImageLimits {
  /** Largest encoded size (the base64 data URL must stay under Groq's 4 MB). */
  readonly maxBytes: number;
  /** Largest pixel count (Groq: 33 megapixels). */
  readonly maxPixels: number;
}

export interface ImageNormalizer {
  /**
   * Decodes JPEG, PNG, WebP or GIF (first frame) and returns an image within the limits,
   * downscaling rather than refusing. Throws `UnsupportedMediaError` for anything else.
   */
  normalize(bytes: Uint8Array, limits: ImageLimits): Promise<NormalizedImage>;
}

export interface DocumentTextExtractor {
  /** The text of a PDF, pages in order. Throws `UnsupportedMediaError` when it is not a readable PDF. */
  extractPdfText(bytes: Uint8Array): Promise<{ readonly text: string; readonly pages: number }>;
}

export class UnsupportedMediaError extends Error {
  override readonly name = "UnsupportedMediaError";
}
