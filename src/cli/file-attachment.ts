import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import { readCapped } from "../core/attachments/read-capped.js";
import type { Attachment } from "../core/request.js";

const mimeTypes: Readonly<Record<string, string>> = {
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".png": "image/png",
  ".webp": "image/webp",
  ".gif": "image/gif",
  ".pdf": "application/pdf",
  ".ogg": "audio/ogg",
  ".oga": "audio/ogg",
  ".opus": "audio/ogg",
  ".mp3": "audio/mpeg",
  ".m4a": "audio/mp4",
  ".wav": "audio/wav",
  ".txt": "text/plain",
  ".md": "text/markdown",
  ".csv": "text/csv",
  ".json": "application/json",
};

/** A local file as an attachment: read lazily, and never more than the cap, like a download. */
export async function fileAttachment(path: string): Promise<Attachment> {
  const size = (await stat(path)).size;
  const name = basename(path);
  return {
    mimeType: mimeTypes[extname(path).toLowerCase()] ?? "application/octet-stream",
    name,
    declaredSize: size,
    fetch: (maxBytes) => readCapped(createReadStream(path, { end: maxBytes }) as AsyncIterable<Uint8Array>, name, maxBytes),
  };
}
