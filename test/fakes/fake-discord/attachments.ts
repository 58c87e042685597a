/** Files users attach: registered bytes served from the fake's CDN path, described as Discord does. */
import type { AttachmentPayload } from "./payloads.js";
import { nextSnowflake } from "./snowflakes.js";
import type { FakeDiscordState } from "./state.js";

export interface AttachmentOptions {
  readonly filename: string;
  /** Absent: Discord sends no content_type for files it cannot classify. */
  readonly contentType?: string;
  readonly bytes: Uint8Array;
  /** What Discord claims the size is; default the real size. Lets a test lie, as a client could. */
  readonly declaredSize?: number;
  readonly width?: number;
  readonly height?: number;
  /** Voice messages carry a duration and a waveform. */
  readonly durationSeconds?: number;
}

export function registerAttachment(state: FakeDiscordState, options: AttachmentOptions): AttachmentPayload {
  const id = nextSnowflake();
  const path = `/cdn/attachments/${id}/${encodeURIComponent(options.filename)}`;
  state.files.set(decodeURIComponent(path), { bytes: options.bytes, contentType: options.contentType ?? "application/octet-stream" });
  const url = `${state.baseUrl}${path}?ex=0&is=0&hm=fake`;
  return {
    id,
    filename: options.filename,
    size: options.declaredSize ?? options.bytes.byteLength,
    url,
    proxy_url: url,
    ...(options.contentType === undefined ? {} : { content_type: options.contentType }),
    ...(options.width === undefined ? {} : { width: options.width, height: options.height ?? options.width }),
    ...(options.durationSeconds === undefined ? {} : { duration_secs: options.durationSeconds, waveform: "AAAA" }),
  };
}
