/** Downloads a file, refusing as soon as more than the cap has arrived, whatever the server claims. */
import { readCapped } from "../../core/attachments/read-capped.js";
import { AttachmentTooLargeError } from "../../core/errors.js";

export async function fetchWithLimit(url: string, name: string, maxBytes: number): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok || response.body === null) {
    await response.body?.cancel();
    throw new Error(`Downloading ${name} from Discord failed with HTTP ${response.status}.`);
  }
  const announced = Number(response.headers.get("content-length") ?? Number.NaN);
  if (announced > maxBytes) {
    await response.body.cancel();
    throw new AttachmentTooLargeError(name, maxBytes);
  }
  // Node's web stream is async iterable.
  return readCapped(response.body as AsyncIterable<Uint8Array>, name, maxBytes);
}
