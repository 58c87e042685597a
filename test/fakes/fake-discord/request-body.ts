/** Reads a REST request's body: JSON, or multipart with a `payload_json` part and `files[n]` parts. */
import type { IncomingMessage } from "node:http";
import type { RecordedFile } from "./call-log.js";

export interface ParsedBody {
  readonly body: unknown;
  readonly files: readonly RecordedFile[];
}

export async function readRequestBody(request: IncomingMessage): Promise<ParsedBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return { body: undefined, files: [] };
  const contentType = request.headers["content-type"] ?? "";
  if (contentType.startsWith("multipart/form-data")) return readMultipart(raw, contentType);
  const text = raw.toString("utf8");
  try {
    return { body: JSON.parse(text) as unknown, files: [] };
  } catch {
    return { body: text, files: [] };
  }
}

async function readMultipart(raw: Buffer, contentType: string): Promise<ParsedBody> {
  // Node 20's fetch Response parses multipart bodies; no extra package needed.
  const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
  const files: RecordedFile[] = [];
  let body: unknown;
  for (const [field, value] of form.entries()) {
    if (typeof value === "string") {
      if (field === "payload_json") body = JSON.parse(value) as unknown;
    } else {
      files.push({ field, filename: value.name, size: value.size, contentType: value.type });
    }
  }
  return { body, files };
}
