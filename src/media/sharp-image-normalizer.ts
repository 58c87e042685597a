import sharp from "sharp";
import { unsupportedMedia } from "../core/attachments/media-problem.js";
import { UnsupportedMediaError } from "../core/errors.js";
import {
  type ImageLimits,
  type ImageNormalizer,
  type NormalizedImage,
} from "../core/ports/media.js";
import { createConcurrencyLimit, type ConcurrencyLimit } from "./concurrency-limit.js";

/**
 * Decompression-bomb guard. A PNG of a few kilobytes can claim 50 000 × 50 000 pixels, which
 * would take 10 GB to decode. Vision models take at most 33 megapixels anyway, so anything
 * past 100 megapixels (already 400 MB of RGBA) is refused before a single pixel is decoded.
 */
export const defaultMaxInputPixels = 100_000_000;

/**
 * sharp runs each call on a thread of libuv's pool, which has four threads and which DNS
 * lookups (Groq, Telegram, Discord) and file access share. Two normalizations at once leave
 * two threads free, and bound the memory of image work to two decodes (a 100-megapixel PNG
 * takes about 280 MB). One limit for the whole process: several chats sending photos queue
 * up rather than pile on. libvips's own threads per image (sharp.concurrency()) stay at their
 * default: setting them to 1 changed nothing measurable (PNG decoding runs on one thread anyway)
 * and would slow ordinary photos; it is the pool slots, not the CPU, that the lookups lacked.
 */
export const defaultImageConcurrency = 2;
const sharedConcurrency = createConcurrencyLimit(defaultImageConcurrency);


/** Formats the vision models accept as they are, so a small enough one is passed through untouched. */
const passThroughMimeTypes: ReadonlyMap<string, string> = new Map([
  ["jpeg", "image/jpeg"],
  ["png", "image/png"],
  ["webp", "image/webp"],
]);
const decodableFormats: ReadonlySet<string> = new Set([...passThroughMimeTypes.keys(), "gif"]);

/**
 * JPEG at 85 is visually lossless for a vision model and several times smaller than PNG for
 * photos and screenshots alike, so it is the default output; lower steps trade a little
 * quality before resorting to fewer pixels.
 */
const jpegQualitySteps = [85, 75, 65] as const;
/** When an encoding is this many times over budget, lowering quality cannot close the gap: shrink instead. */
const hopelessOvershootFactor = 2;
/** Aim a little under the byte budget when shrinking, since encoded size only roughly follows pixel count. */
const shrinkSafetyMargin = 0.9;
const largestShrinkStep = 0.9;
const maxShrinkRounds = 8;

export interface SharpImageNormalizerOptions {
  /** Refuse images with more pixels than this before decoding them. */
  readonly maxInputPixels?: number;
  /** How many images are normalized at once; by default one limit shared by the whole process. */
  readonly concurrency?: ConcurrencyLimit;
}

interface DecodedPixels {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 2 | 3 | 4;
}

export function createSharpImageNormalizer(options: SharpImageNormalizerOptions = {}): ImageNormalizer {
  const maxInputPixels = options.maxInputPixels ?? defaultMaxInputPixels;
  const concurrency = options.concurrency ?? sharedConcurrency;
  const baseInputOptions: sharp.SharpOptions = {
    limitInputPixels: maxInputPixels,
    // An animated GIF or WebP contributes only its first frame.
    pages: 1,
    page: 0,
    // Phones and messengers produce files with harmless decoder warnings; only real errors refuse.
    failOn: "error",
  };

  async function normalizeNow(bytes: Uint8Array, limits: ImageLimits): Promise<NormalizedImage> {
    const metadata = await readMetadata(bytes, baseInputOptions);
    const { width, height } = metadata.autoOrient;
    const sourcePixels = width * height;
    if (sourcePixels > maxInputPixels) {
      throw tooManyPixels(width, height, maxInputPixels);
    }
    if (limits.maxInputPixels !== undefined && sourcePixels > limits.maxInputPixels) {
      throw overPixelBudget(width, height, limits.maxInputPixels);
    }
    // libvips checks the header against this too, as a second guard should metadata and decoder disagree.
    const inputOptions = { ...baseInputOptions, limitInputPixels: Math.max(1, Math.min(maxInputPixels, limits.maxInputPixels ?? maxInputPixels)) };
    try {
      const passThroughMimeType = passThroughMimeTypes.get(metadata.format);
      if (passThroughMimeType !== undefined && isUsableAsIs(bytes, metadata, limits)) {
        await assertDecodable(bytes, inputOptions);
        return { mimeType: passThroughMimeType, bytes, width, height, resized: false, sourcePixels };
      }
      const pixels = await decodeWithinPixelLimit(bytes, inputOptions, metadata, limits.maxPixels);
      return { ...(await encodeWithinByteLimit(pixels, limits.maxBytes)), sourcePixels };
    } catch (error) {
      if (error instanceof UnsupportedMediaError) throw error;
      throw unsupportedMedia({ kind: "image_damaged" }, { cause: error });
    }
  }

  return {
    normalize: (bytes, limits) => concurrency.run(() => normalizeNow(bytes, limits)),
  };
}

export const sharpImageNormalizer: ImageNormalizer = createSharpImageNormalizer();

/**
 * Reads the header only: the type comes from the bytes, never from the file name. The pixel
 * cap is lifted here (no pixel is decoded yet) so the caller can name the size it refuses;
 * the decoding calls keep it as a second guard.
 */
async function readMetadata(bytes: Uint8Array, inputOptions: sharp.SharpOptions): Promise<sharp.Metadata> {
  let metadata: sharp.Metadata;
  try {
    metadata = await sharp(bytes, { ...inputOptions, limitInputPixels: false }).metadata();
  } catch (error) {
    throw unsupportedMedia({ kind: "image_unsupported" }, { cause: error });
  }
  if (!decodableFormats.has(metadata.format)) {
    throw unsupportedMedia({ kind: "image_unsupported" });
  }
  return metadata;
}

function isUsableAsIs(bytes: Uint8Array, metadata: sharp.Metadata, limits: ImageLimits): boolean {
  const isAnimated = (metadata.pages ?? 1) > 1;
  // An EXIF rotation must be baked into the pixels: models do not reliably honour the tag.
  const needsRotation = metadata.orientation !== undefined && metadata.orientation !== 1;
  return (
    !isAnimated &&
    !needsRotation &&
    bytes.byteLength <= limits.maxBytes &&
    metadata.width * metadata.height <= limits.maxPixels
  );
}

/**
 * A header can be fine while the pixel data is cut short; sending such a file on would only
 * earn an opaque error from the model. Decoding to a thumbnail reads every byte yet stays
 * cheap (JPEG decodes at 1/8 scale): about 30 ms for a 12-megapixel photo.
 */
async function assertDecodable(bytes: Uint8Array, inputOptions: sharp.SharpOptions): Promise<void> {
  await sharp(bytes, inputOptions).resize(32, 32, { fit: "inside" }).raw().toBuffer();
}

/** Decodes once (first frame, EXIF-rotated, scaled down to fit maxPixels); every encoding attempt starts from these pixels. */
async function decodeWithinPixelLimit(
  bytes: Uint8Array,
  inputOptions: sharp.SharpOptions,
  metadata: sharp.Metadata,
  maxPixels: number,
): Promise<DecodedPixels> {
  const { width, height } = metadata.autoOrient;
  const target = scaleToFit(width, height, Math.min(1, Math.sqrt(maxPixels / (width * height))));
  const { data, info } = await sharp(bytes, inputOptions)
    .autoOrient()
    .resize(target.width, target.height, { fit: "fill" })
    .raw({ depth: "uchar" })
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

type EncodedImage = Omit<NormalizedImage, "sourcePixels">;

async function encodeWithinByteLimit(original: DecodedPixels, maxBytes: number): Promise<EncodedImage> {
  let pixels = original;
  if (hasAlpha(pixels)) {
    // Transparency survives only in PNG; keep it when it fits, otherwise flatten into a JPEG.
    const png = await toSharp(pixels).png().toBuffer();
    if (png.byteLength <= maxBytes) return normalized("image/png", png, pixels);
  }
  for (let round = 0; round < maxShrinkRounds; round++) {
    let smallestSize = Number.POSITIVE_INFINITY;
    for (const quality of jpegQualitySteps) {
      const jpeg = await toSharp(pixels).flatten({ background: "#ffffff" }).jpeg({ quality }).toBuffer();
      if (jpeg.byteLength <= maxBytes) return normalized("image/jpeg", jpeg, pixels);
      smallestSize = jpeg.byteLength;
      if (jpeg.byteLength > maxBytes * hopelessOvershootFactor) break;
    }
    // Encoded size roughly follows pixel count, so scale the sides by the square root of the overshoot.
    const shrink = Math.min(largestShrinkStep, Math.sqrt(maxBytes / smallestSize) * shrinkSafetyMargin);
    pixels = await shrinkPixels(pixels, shrink);
  }
  throw unsupportedMedia({ kind: "image_too_heavy", maxBytes });
}

async function shrinkPixels(pixels: DecodedPixels, factor: number): Promise<DecodedPixels> {
  const target = scaleToFit(pixels.width, pixels.height, factor);
  const { data, info } = await toSharp(pixels)
    .resize(target.width, target.height, { fit: "fill" })
    .raw({ depth: "uchar" })
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** Rounds down so the result never exceeds the pixel budget; the aspect ratio drifts by under a pixel. */
function scaleToFit(width: number, height: number, factor: number): { width: number; height: number } {
  return {
    width: Math.max(1, Math.floor(width * factor)),
    height: Math.max(1, Math.floor(height * factor)),
  };
}

function toSharp(pixels: DecodedPixels): sharp.Sharp {
  return sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels } });
}

function hasAlpha(pixels: DecodedPixels): boolean {
  return pixels.channels === 2 || pixels.channels === 4;
}

function normalized(mimeType: string, bytes: Buffer, pixels: DecodedPixels): EncodedImage {
  return { mimeType, bytes, width: pixels.width, height: pixels.height, resized: true };
}

function tooManyPixels(width: number, height: number, maxInputPixels: number): UnsupportedMediaError {
  const megapixels = Math.round(maxInputPixels / 1_000_000);
  return unsupportedMedia({ kind: "image_too_many_pixels", width, height, megapixels });
}

function overPixelBudget(width: number, height: number, pixelsLeft: number): UnsupportedMediaError {
  const megapixelsLeft = Math.floor(pixelsLeft / 100_000) / 10;
  return unsupportedMedia({ kind: "image_over_budget", width, height, megapixelsLeft });
}
