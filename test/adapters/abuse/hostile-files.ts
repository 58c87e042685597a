/** Files built to hurt a bot that reads what users send: bombs, lies and disguises. */
import { crc32 } from "node:zlib";
import sharp from "sharp";
import { makeTextBombPdf } from "../../support/make-pdf.js";

const encoder = new TextEncoder();

/** About 60 KB that expand to 8.8 MB of text on one page. */
export const pdfTextBomb: Uint8Array = makeTextBombPdf({ linesPerPage: 200_000 });

/** Says it is a PDF, then is nothing a reader can follow. */
export const malformedPdf: Uint8Array = encoder.encode(`%PDF-1.7\n${"garbage 1 0 obj << /Kids [ >> stream\n".repeat(50)}%%EOF\n`);

/** 1.5 MB of nothing but line breaks: within the text limit, and a worst case for anything that splits or counts lines. */
export const newlineFile: Uint8Array = encoder.encode("\n".repeat(1_500_000));

/** More text than Mami reads from a text file (2 MB). */
export const oversizedText: Uint8Array = encoder.encode("All work and no play. ".repeat(150_000));

/** Random-looking bytes under a text file's name. */
export const binaryPosingAsText: Uint8Array = Uint8Array.from({ length: 64 * 1024 }, (_, index) => (index * 2_654_435_761) >>> 24);

/** A small real PNG whose header then claims a huge size: a decompression bomb before decoding. */
export async function pngClaimingSize(width: number, height: number): Promise<Uint8Array> {
  const png = Buffer.from(await sharp({ create: { width: 8, height: 8, channels: 3, background: "white" } }).png().toBuffer());
  const headerChunkTypeOffset = 12;
  const headerChunkDataLength = 13;
  png.writeUInt32BE(width, headerChunkTypeOffset + 4);
  png.writeUInt32BE(height, headerChunkTypeOffset + 8);
  const checksummed = png.subarray(headerChunkTypeOffset, headerChunkTypeOffset + 4 + headerChunkDataLength);
  png.writeUInt32BE(crc32(checksummed), headerChunkTypeOffset + 4 + headerChunkDataLength);
  return png;
}

/** A name that would be a live link if echoed as markdown. */
export const phishingFileName = "[Telegram Support: verify](https://evil.example).exe";
