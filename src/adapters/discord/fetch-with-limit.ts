/** Downloads a file, refusing as soon as more than the cap has arrived, whatever the server claims. */
import { AttachmentTooLargeError } from "../../core/errors.js";

export async function fetchWithLimit(url: string, name: string, maxBytes: number): Promise<Uint8Array> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  if (!response.ok || response.body === null) {
    controller.abort();
    throw new Error(`Downloading ${name} from Discord failed with HTTP ${response.status}.`);
  }
  const announced = Number(response.headers.get("content-length") ?? Number.NaN);
  if (announced > maxBytes) {
    controller.abort();
    throw new AttachmentTooLargeError(name, maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let received = 0;
  // Node's web stream is async iterable; leaving the loop early cancels the download.
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    received += chunk.byteLength;
    if (received > maxBytes) {
      // Stop the download here rather than reading a huge file only to throw it away.
      controller.abort();
      throw new AttachmentTooLargeError(name, maxBytes);
    }
    chunks.push(chunk);
  }
  return concatenate(chunks, received);
}

function concatenate(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
