/** Largest download per kind; the cap is enforced while reading, whatever the platform claims. */
export const attachmentLimits = {
  imageBytes: 20 * 1024 * 1024,
  textBytes: 2 * 1024 * 1024,
  pdfBytes: 20 * 1024 * 1024,
  /** Groq's free tier takes audio files up to 25 MB. */
  audioBytes: 25 * 1024 * 1024,
} as const;

/** Groq's vision limits: base64 up to 4 MB (so about 3 MB of bytes), 33 megapixels, 5 images. */
export const imageLimits = { maxBytes: 3 * 1024 * 1024, maxPixels: 33_000_000 } as const;
export const maxImagesPerRequest = 5;
/**
 * Pixels decoded per message, all images together: one image at the normalizer's 100-megapixel
 * cap and some ordinary photos, or five 24-megapixel ones, but not five decompression bombs.
 */
export const maxImagePixelsPerMessage = 150_000_000;

/** A PDF's text beyond this is not read; even long-context models cannot take more on one call. */
export const maxDocumentCharacters = 600_000;
/** Pages of a PDF read at most: a long book fills the text limit well before this. */
export const maxDocumentPages = 500;

