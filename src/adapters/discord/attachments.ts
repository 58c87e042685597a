/** A Discord attachment as the core's `Attachment`: described, downloaded only when needed. */
import { MessageFlags, type Attachment as DiscordAttachment, type Message } from "discord.js";
import type { Attachment } from "../../core/request.js";
import { fetchWithLimit } from "./fetch-with-limit.js";

const unknownMimeType = "application/octet-stream";

/** What the file is, the core decides from its mime type, name and voice flag (attachment-kind.ts). */
export function toAttachment(attachment: DiscordAttachment, { isVoiceMessage }: { isVoiceMessage: boolean }): Attachment {
  const name = attachment.name;
  // A voice message (it has a duration) is audio whatever its container says.
  const voice = isVoiceMessage || attachment.duration !== null;
  return {
    // Discord sends `text/plain; charset=utf-8`; the core wants the bare type.
    mimeType: attachment.contentType?.split(";")[0]?.trim().toLowerCase() || unknownMimeType,
    name,
    declaredSize: attachment.size,
    ...(voice ? { isVoiceMessage: true } : {}),
    fetch: (maxBytes) => fetchWithLimit(attachment.url, name, maxBytes),
  };
}

export function attachmentsOf(message: Message): Attachment[] {
  const isVoiceMessage = message.flags.has(MessageFlags.IsVoiceMessage);
  return message.attachments.map((attachment) => toAttachment(attachment, { isVoiceMessage }));
}
