import { randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { prepareAttachments, type AttachmentServices } from "../../src/core/attachments/prepare-attachments.js";
import { maxImagePixelsPerMessage } from "../../src/core/attachments/limits.js";
import { BadInputError, UnsupportedMediaError } from "../../src/core/errors.js";
import { type DocumentLimits, type ExtractedDocument, type ImageNormalizer } from "../../src/core/ports/media.js";
import { createConcurrencyLimit } from "../../src/media/concurrency-limit.js";
import { createPdfTextExtractor, pdfTextExtractor, type PdfTextExtractorOptions } from "../../src/media/pdf-text-extractor.js";
import { createSharpImageNormalizer, defaultImageConcurrency, sharpImageNormalizer } from "../../src/media/sharp-image-normalizer.js";
import { bytesAttachment } from "../support/chat-request.js";
import { makePdf, makePdfFromContent, makeTextBombPdf } from "../support/make-pdf.js";

interface Watched<T> {
  readonly outcome: PromiseSettledResult<T>;
  /** Times a 10 ms interval fired while the work ran: zero means the event loop was blocked throughout. */
  readonly ticks: number;
  readonly longestGapMs: number;
}

/** Runs media work while a 10 ms timer counts how often the event loop got a turn. */
async function watchingEventLoop<T>(work: () => Promise<T>): Promise<Watched<T>> {
  let ticks = 0;
  let last = performance.now();
  let longestGapMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longestGapMs = Math.max(longestGapMs, now - last);
    last = now;
    ticks += 1;
  }, 10);
  const [outcome] = await Promise.allSettled([work()]);
  clearInterval(timer);
  longestGapMs = Math.max(longestGapMs, performance.now() - last);
  return { outcome, ticks, longestGapMs };
}

const documentLimits: DocumentLimits = { maxPages: 500, maxCharacters: 600_000 };

/** About 60 KB that expand to 8.8 MB of text in one page: the PDF bomb. */
const textBomb = makeTextBombPdf({ linesPerPage: 200_000 });
const numberedPages = (count: number, linesPerPage = 1): string[] =>
  Array.from({ length: count }, (_, index) =>
    Array.from({ length: linesPerPage }, (__, line) => `Page ${index + 1}, line ${line + 1}: ${"lorem ipsum ".repeat(6)}`).join("\n"),
  );

interface PdfCase {
  readonly name: string;
  readonly pdf: Uint8Array;
  readonly limits?: DocumentLimits;
  readonly options?: PdfTextExtractorOptions;
  readonly expected:
    | { readonly document: Omit<ExtractedDocument, "text">; readonly textLength?: number; readonly contains?: string; readonly lacks?: string }
    | { readonly error: RegExp };
}

const pdfCases: PdfCase[] = [
  {
    name: "a 60 KB text bomb stops at the text limit, mid-page",
    pdf: textBomb,
    expected: { document: { pages: 1, pagesRead: 1, cut: "text_limit" }, textLength: 600_000, contains: "All work and no play" },
  },
  {
    name: "a long PDF stops at the page limit",
    pdf: makePdf(numberedPages(120)),
    limits: { maxPages: 50, maxCharacters: 600_000 },
    expected: { document: { pages: 120, pagesRead: 50, cut: "page_limit" }, contains: "Page 50, line 1", lacks: "Page 51," },
  },
  {
    name: "long pages stop at the text limit",
    pdf: makePdf(numberedPages(40, 40)),
    limits: { maxPages: 500, maxCharacters: 10_000 },
    expected: { document: { pages: 40, pagesRead: 3, cut: "text_limit" }, textLength: 10_000, contains: "Page 3, line 1", lacks: "Page 4," },
  },
  {
    name: "reading stops at the time limit and keeps what it read",
    pdf: makeTextBombPdf({ pages: 3, linesPerPage: 100_000 }),
    limits: { maxPages: 500, maxCharacters: 100_000_000 },
    options: { timeLimitMs: 1 },
    expected: { document: { pages: 3, pagesRead: 1, cut: "time_limit" }, contains: "All work and no play" },
  },
  {
    // 20 MB of save/restore operators and no text: no text ever arrives to check the clock against.
    name: "a worker that overstays the time limit is terminated",
    pdf: makePdfFromContent(["q Q\n".repeat(5_000_000)], { compress: true }),
    options: { timeLimitMs: 500, killGraceMs: 0 },
    expected: { error: /takes too long to read/ },
  },
  {
    name: "a worker out of memory dies alone",
    pdf: textBomb,
    options: { memoryLimitMb: 8 },
    expected: { error: /needs more memory to read than I allow/ },
  },
  {
    name: "a malformed PDF is refused",
    pdf: new TextEncoder().encode(`%PDF-1.7\n${"garbage 1 0 obj << /Kids [ >> stream\n".repeat(50)}%%EOF\n`),
    expected: { error: /damaged or malformed/ },
  },
  {
    name: "a PDF with only a header is refused",
    pdf: new TextEncoder().encode("%PDF-1.4\n%%EOF\n"),
    expected: { error: /damaged or malformed/ },
  },
];

describe("PDF extraction off the main thread", () => {
  it.each(pdfCases)("$name, and the event loop keeps running", async ({ pdf, limits, options, expected }) => {
    const extractor = options === undefined ? pdfTextExtractor : createPdfTextExtractor(options);

    const { outcome, ticks, longestGapMs } = await watchingEventLoop(() => extractor.extractPdfText(pdf, limits ?? documentLimits));

    expect(ticks).toBeGreaterThan(0);
    expect(longestGapMs).toBeLessThan(1_000);
    if ("error" in expected) {
      expect(outcome.status).toBe("rejected");
      const reason = (outcome as PromiseRejectedResult).reason as Error;
      expect(reason).toBeInstanceOf(UnsupportedMediaError);
      expect(reason.message).toMatch(expected.error);
      return;
    }
    expect(outcome.status).toBe("fulfilled");
    const document = (outcome as PromiseFulfilledResult<ExtractedDocument>).value;
    expect({ pages: document.pages, pagesRead: document.pagesRead, cut: document.cut }).toEqual(expected.document);
    if (expected.textLength !== undefined) expect(document.text).toHaveLength(expected.textLength);
    if (expected.contains !== undefined) expect(document.text).toContain(expected.contains);
    if (expected.lacks !== undefined) expect(document.text).not.toContain(expected.lacks);
  });

  it("reads the next PDF normally after workers were killed", async () => {
    await expect(createPdfTextExtractor({ memoryLimitMb: 8 }).extractPdfText(textBomb, documentLimits)).rejects.toThrow(/memory/);

    const document = await pdfTextExtractor.extractPdfText(makePdf(["Still here."]), documentLimits);

    expect(document).toEqual({ text: "Still here.", pages: 1, pagesRead: 1, pageStarts: [{ page: 1, offset: 0 }] });
  });

  it("says in the prepared text which pages were read and why the rest was not", async () => {
    const services = { documents: pdfTextExtractor } as unknown as AttachmentServices;
    const bomb = bytesAttachment("bomb.pdf", "application/pdf", textBomb);
    const long = bytesAttachment("long.pdf", "application/pdf", makePdf(numberedPages(600)));

    const prepared = await prepareAttachments([bomb, long], services, undefined);

    expect(prepared.documents[0]).toContain("File bomb.pdf (1 page; read up to page 1 of 1, the rest was not read):");
    expect(prepared.documents[0]).toContain("[… cut: read up to page 1 of 1 (I read 600,000 characters at most); the rest was not read]");
    expect(prepared.documents[1]).toContain("File long.pdf (600 pages; read pages 1–500 of 600, the rest was not read):");
    expect(prepared.documents[1]).toContain("[… cut: read pages 1–500 of 600 (I read 500 pages at most); the rest was not read]");
    expect(prepared.documents[1]).toContain("Page 500, line 1");
    expect(prepared.documents[1]).not.toContain("Page 501,");
  });
});

/** A small real PNG whose header then claims a huge size: a decompression bomb before decoding. */
async function pngClaimingSize(width: number, height: number): Promise<Uint8Array> {
  const png = Buffer.from(await sharp({ create: { width: 8, height: 8, channels: 3, background: "white" } }).png().toBuffer());
  const headerChunkTypeOffset = 12;
  const headerChunkDataLength = 13;
  png.writeUInt32BE(width, headerChunkTypeOffset + 4);
  png.writeUInt32BE(height, headerChunkTypeOffset + 8);
  const checksummed = png.subarray(headerChunkTypeOffset, headerChunkTypeOffset + 4 + headerChunkDataLength);
  png.writeUInt32BE(crc32(checksummed), headerChunkTypeOffset + 4 + headerChunkDataLength);
  return png;
}

const groqLimits = { maxBytes: 3_000_000, maxPixels: 33_000_000 };

describe("image work is bounded", () => {
  it.each([
    { name: "over what is left of the message's budget", width: 9_000, height: 9_000, budget: 50_000_000, error: /too many pixels together: this one is 9000×9000, and only 50 megapixels are left/ },
    { name: "over the per-image cap, whatever the budget", width: 20_000, height: 20_000, budget: 150_000_000, error: /too many pixels \(20000×20000\); the limit is 100 megapixels/ },
    { name: "with no budget left", width: 100, height: 100, budget: 0, error: /only 0 megapixels are left/ },
  ])("refuses an image $name before decoding it", async ({ width, height, budget, error }) => {
    const png = await pngClaimingSize(width, height);

    const promise = sharpImageNormalizer.normalize(png, { ...groqLimits, maxInputPixels: budget });

    await expect(promise).rejects.toThrow(UnsupportedMediaError);
    await expect(promise).rejects.toThrow(error);
  });

  it("takes an image that exactly fits the budget, and reports what it cost", async () => {
    const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: "teal" } }).jpeg().toBuffer();

    const image = await sharpImageNormalizer.normalize(jpeg, { ...groqLimits, maxInputPixels: 400 * 300 });

    expect(image).toMatchObject({ width: 400, height: 300, sourcePixels: 120_000 });
  });

  it("decodes at most the message's pixel budget of five large images, and refuses the rest", async () => {
    // 40 megapixels each: three fit the 150-megapixel budget, the fourth does not.
    const photo = await sharp({ create: { width: 8_000, height: 5_000, channels: 3, background: "navy" } }).jpeg().toBuffer();
    const decoded: number[] = [];
    const countingImages: ImageNormalizer = {
      async normalize(bytes, limits) {
        const image = await sharpImageNormalizer.normalize(bytes, limits);
        decoded.push(image.sourcePixels);
        return image;
      },
    };
    const services = { images: countingImages } as unknown as AttachmentServices;
    const attachments = [1, 2, 3, 4, 5].map((index) => bytesAttachment(`photo-${index}.jpg`, "image/jpeg", photo));

    const { outcome, ticks } = await watchingEventLoop(() => prepareAttachments(attachments, services, undefined));

    expect(outcome.status).toBe("rejected");
    const reason = (outcome as PromiseRejectedResult).reason as Error;
    expect(reason).toBeInstanceOf(BadInputError);
    expect(reason.message).toMatch(/^`photo-4\.jpg`: The images in this message have too many pixels together: this one is 8000×5000, and only 30 megapixels are left/);
    expect(decoded).toEqual([40_000_000, 40_000_000, 40_000_000]);
    expect(decoded.reduce((sum, pixels) => sum + pixels, 0)).toBeLessThanOrEqual(maxImagePixelsPerMessage);
    expect(ticks).toBeGreaterThan(0);
  });

  /** Six images at once that all need decoding, scaling and encoding. */
  async function sixAtOnce(normalizers: readonly ImageNormalizer[], sample: () => number): Promise<{ peak: number; results: number }> {
    const png = await sharp(randomBytes(2_000 * 1_500 * 3), { raw: { width: 2_000, height: 1_500, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer();
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, sample())), 1);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, index) => normalizers[index % normalizers.length]!.normalize(png, { maxBytes: 300_000, maxPixels: 1_000_000 })),
    );
    clearInterval(timer);
    peak = Math.max(peak, sample());
    expect(results.every((image) => image.resized && image.bytes.byteLength <= 300_000)).toBe(true);
    return { peak, results: results.length };
  }

  it("never runs more normalizations at once than its limit", async () => {
    const limit = createConcurrencyLimit(2);
    let peakActive = 0;
    const normalizer = createSharpImageNormalizer({ concurrency: limit });

    const { peak: peakInSharp } = await sixAtOnce([normalizer], () => {
      peakActive = Math.max(peakActive, limit.active);
      return sharp.counters().process;
    });

    expect(peakActive).toBe(2);
    expect(peakInSharp).toBeLessThanOrEqual(2);
    expect(peakInSharp).toBeGreaterThan(0);
  });

  it("shares one limit across the process by default", async () => {
    const { peak } = await sixAtOnce([sharpImageNormalizer, createSharpImageNormalizer()], () => sharp.counters().process);

    expect(defaultImageConcurrency).toBe(2);
    expect(peak).toBeLessThanOrEqual(defaultImageConcurrency);
    expect(peak).toBeGreaterThan(0);
  });
});
