import type { Attachment, ChatRequest } from "../../src/core/request.js";
import { AttachmentTooLargeError } from "../../src/core/errors.js";

let nextMessageId = 1;

/** A private CLI-style request; override what a test needs. */
export function chatRequest(text: string, overrides: Partial<ChatRequest> = {}): ChatRequest {
  nextMessageId += 1;
  return {
    location: { platform: "cli", chatId: "test-chat", kind: "private" },
    messageId: String(nextMessageId),
    author: { id: "tester", name: "Tester", isBot: false },
    text,
    attachments: [],
    addressedBy: "private",
    ...overrides,
  };
}

/** An attachment backed by bytes in memory, enforcing the cap the way adapters must. */
export function bytesAttachment(name: string, mimeType: string, bytes: Uint8Array, options: { readonly isVoiceMessage?: boolean } = {}): Attachment {
  return {
    ...(options.isVoiceMessage === true ? { isVoiceMessage: true } : {}),
    mimeType,
    name,
    declaredSize: bytes.length,
    fetch: (maxBytes) => (bytes.length > maxBytes ? Promise.reject(new AttachmentTooLargeError(name, maxBytes)) : Promise.resolve(bytes)),
  };
}
