import { AttachmentTooLargeError } from "../errors.js";

/**
 * Reads a download or a file into memory, refusing as soon as more than `maxBytes` arrived,
 * whatever size was announced. Leaving the loop early (the throw) cancels the stream, so the
 * rest of a huge file is never read. Every adapter's `Attachment.fetch` ends here.
 */
export async function readCapped(body: AsyncIterable<Uint8Array>, name: string, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new AttachmentTooLargeError(name, maxBytes);
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
