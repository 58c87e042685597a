import { randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { UnsupportedMediaError } from "../../src/core/errors.js";
import { type ImageLimits } from "../../src/core/ports/media.js";
import { sharpImageNormalizer } from "../../src/media/sharp-image-normalizer.js";

/** Groq's limits for a base64 image: 4 MB of data URL, 33 megapixels. */
const groqLimits: ImageLimits = { maxBytes: 3_000_000, maxPixels: 33_000_000 };

function solidImage(width: number, height: number, background: string): sharp.Sharp {
  return sharp({ create: { width, height, channels: 3, background } });
}

/** Random pixels do not compress, which makes it easy to build files that are too big. */
function noiseImage(width: number, height: number, channels: 3 | 4 = 3): sharp.Sharp {
  return sharp(randomBytes(width * height * channels), { raw: { width, height, channels } });
}

async function firstPixel(bytes: Uint8Array): Promise<number[]> {
  const { data } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  return [...data.subarray(0, 3)];
}

/** A small real PNG whose header then claims a huge size: what a decompression bomb looks like before decoding. */
async function pngClaimingSize(width: number, height: number): Promise<Uint8Array> {
  const png = Buffer.from(await solidImage(8, 8, "white").png().toBuffer());
  const headerChunkTypeOffset = 12;
  const headerChunkDataLength = 13;
  png.writeUInt32BE(width, headerChunkTypeOffset + 4);
  png.writeUInt32BE(height, headerChunkTypeOffset + 8);
  const checksummed = png.subarray(headerChunkTypeOffset, headerChunkTypeOffset + 4 + headerChunkDataLength);
  png.writeUInt32BE(crc32(checksummed), headerChunkTypeOffset + 4 + headerChunkDataLength);
  return png;
}

describe("sharpImageNormalizer", () => {
  it("returns a small JPEG unchanged", async () => {
    const jpeg = await solidImage(640, 480, "teal").jpeg().toBuffer();

    const image = await sharpImageNormalizer.normalize(jpeg, groqLimits);

    expect(image).toEqual({ mimeType: "image/jpeg", bytes: jpeg, width: 640, height: 480, resized: false, sourcePixels: 640 * 480 });
    expect(image.bytes).toBe(jpeg);
  });

  it("returns a small WebP unchanged", async () => {
    const webp = await solidImage(300, 200, "orange").webp().toBuffer();

    const image = await sharpImageNormalizer.normalize(webp, groqLimits);

    expect(image).toMatchObject({ mimeType: "image/webp", width: 300, height: 200, resized: false });
    expect(image.bytes).toBe(webp);
  });

  it("downscales a huge noisy PNG into a JPEG within both limits, keeping the aspect ratio", async () => {
    const png = await noiseImage(6000, 6000).png({ compressionLevel: 0 }).toBuffer();
    expect(png.byteLength).toBeGreaterThan(4_000_000);

    const image = await sharpImageNormalizer.normalize(png, groqLimits);

    expect(image.mimeType).toBe("image/jpeg");
    expect(image.resized).toBe(true);
    expect(image.bytes.byteLength).toBeLessThanOrEqual(groqLimits.maxBytes);
    expect(image.width * image.height).toBeLessThanOrEqual(groqLimits.maxPixels);
    expect(image.width).toBe(image.height);
    const written = await sharp(image.bytes).metadata();
    expect(written).toMatchObject({ format: "jpeg", width: image.width, height: image.height });
  });

  it("scales down to fit maxPixels even when the bytes already fit", async () => {
    const jpeg = await solidImage(4000, 2000, "navy").jpeg().toBuffer();

    const image = await sharpImageNormalizer.normalize(jpeg, { maxBytes: 3_000_000, maxPixels: 2_000_000 });

    expect(image).toMatchObject({ mimeType: "image/jpeg", width: 2000, height: 1000, resized: true });
  });

  it("steps quality and size down until a JPEG fits a tight byte budget", async () => {
    const jpeg = await noiseImage(800, 600).jpeg({ quality: 100 }).toBuffer();

    const image = await sharpImageNormalizer.normalize(jpeg, { maxBytes: 50_000, maxPixels: 33_000_000 });

    expect(image.mimeType).toBe("image/jpeg");
    expect(image.bytes.byteLength).toBeLessThanOrEqual(50_000);
    expect(image.width / image.height).toBeCloseTo(800 / 600, 1);
  });

  it("keeps a transparent PNG as PNG when it fits after downscaling", async () => {
    const png = await sharp({ create: { width: 3000, height: 1000, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 0.5 } } })
      .png()
      .toBuffer();

    const image = await sharpImageNormalizer.normalize(png, { maxBytes: 3_000_000, maxPixels: 300_000 });

    expect(image).toMatchObject({ mimeType: "image/png", width: 948, height: 316, resized: true });
    expect(await sharp(image.bytes).metadata()).toMatchObject({ format: "png", hasAlpha: true });
  });

  it("flattens a transparent image into a JPEG when the PNG is too big", async () => {
    const png = await noiseImage(1000, 1000, 4).png({ compressionLevel: 0 }).toBuffer();

    const image = await sharpImageNormalizer.normalize(png, { maxBytes: 1_000_000, maxPixels: 33_000_000 });

    expect(image.mimeType).toBe("image/jpeg");
    expect(image.bytes.byteLength).toBeLessThanOrEqual(1_000_000);
  });

  it("applies the EXIF rotation", async () => {
    const sideways = await solidImage(40, 20, "red").jpeg().withMetadata({ orientation: 6 }).toBuffer();

    const image = await sharpImageNormalizer.normalize(sideways, groqLimits);

    expect(image).toMatchObject({ mimeType: "image/jpeg", width: 20, height: 40, resized: true });
    expect((await sharp(image.bytes).metadata()).orientation ?? 1).toBe(1);
  });

  it("keeps only the first frame of an animated GIF", async () => {
    const frames = await Promise.all(
      ["red", "lime", "blue"].map((background) => solidImage(64, 48, background).png().toBuffer()),
    );
    const gif = await sharp(frames, { join: { animated: true } }).gif().toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(3);

    const image = await sharpImageNormalizer.normalize(gif, groqLimits);

    expect(["image/png", "image/jpeg"]).toContain(image.mimeType);
    expect(image).toMatchObject({ width: 64, height: 48, resized: true });
    expect(await firstPixel(image.bytes)).toEqual([255, 0, 0]);
  });

  it("refuses random bytes, naming the supported kinds", async () => {
    const promise = sharpImageNormalizer.normalize(randomBytes(4096), groqLimits);

    await expect(promise).rejects.toThrow(UnsupportedMediaError);
    await expect(promise).rejects.toThrow(/JPEG, PNG, WebP or GIF/);
  });

  it("refuses an image kind it could decode but the models do not take (TIFF)", async () => {
    const tiff = await solidImage(32, 32, "white").tiff().toBuffer();

    await expect(sharpImageNormalizer.normalize(tiff, groqLimits)).rejects.toThrow(/JPEG, PNG, WebP or GIF/);
  });

  it("refuses a JPEG whose pixel data is cut short", async () => {
    const jpeg = await noiseImage(200, 200).jpeg().toBuffer();
    const truncated = jpeg.subarray(0, Math.floor(jpeg.byteLength / 2));

    const promise = sharpImageNormalizer.normalize(truncated, groqLimits);

    await expect(promise).rejects.toThrow(UnsupportedMediaError);
    await expect(promise).rejects.toThrow(/damaged/);
  });

  it("refuses a decompression bomb before decoding it", async () => {
    const bomb = await pngClaimingSize(20_000, 20_000);

    const promise = sharpImageNormalizer.normalize(bomb, groqLimits);

    await expect(promise).rejects.toThrow(UnsupportedMediaError);
    await expect(promise).rejects.toThrow(/too many pixels/);
  });
});
