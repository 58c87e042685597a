/** A Discord attachment as the core's `Attachment`: classified, described, downloaded only when needed. */
import { MessageFlags, type Attachment as DiscordAttachment, type Message } from "discord.js";
import { classifyAttachment } from "../../core/attachments/classify-attachment.js";
import type { Attachment } from "../../core/request.js";
import { fetchWithLimit } from "./fetch-with-limit.js";

const unknownMimeType = "application/octet-stream";

/** The core's reading of a mime type and file name, in the request's vocabulary. */
const kindOfReadable = { image: "image", text: "text", pdf: "document", audio: "audio", unsupported: "other" } as const;

export function toAttachment(attachment: DiscordAttachment, { isVoiceMessage }: { isVoiceMessage: boolean }): Attachment {
  const name = attachment.name;
  const unclassified: Attachment = {
    kind: "other",
    // Discord sends `text/plain; charset=utf-8`; the core wants the bare type.
    mimeType: attachment.contentType?.split(";")[0]?.trim().toLowerCase() || unknownMimeType,
    name,
    declaredSize: attachment.size,
    fetch: (maxBytes) => fetchWithLimit(attachment.url, name, maxBytes),
  };
  // A voice message (it has a duration) is audio whatever its container says.
  const isAudio = isVoiceMessage || attachment.duration !== null;
  return { ...unclassified, kind: isAudio ? "audio" : kindOfReadable[classifyAttachment(unclassified)] };
}

export function attachmentsOf(message: Message): Attachment[] {
  const isVoiceMessage = message.flags.has(MessageFlags.IsVoiceMessage);
  return message.attachments.map((attachment) => toAttachment(attachment, { isVoiceMessage }));
}
