import type { Message, PhotoSize } from "grammy/types";
import type { Attachment } from "../../core/request.js";
import { botApiDownloadLimitBytes, type FileDownloader, type TelegramFileReference } from "./file-download.js";

/** What the file is, the core decides from its mime type, name and voice flag (attachment-kind.ts). */
function attachment(download: FileDownloader, mimeType: string, file: TelegramFileReference, isVoiceMessage = false): Attachment {
  return {
    mimeType,
    ...(isVoiceMessage ? { isVoiceMessage } : {}),
    name: file.name,
    declaredSize: file.declaredSize,
    fetch: (maxBytes) => download(file, maxBytes),
  };
}

/**
 * Telegram stores each photo in several sizes. The largest one the Bot API will still serve
 * (20 MB) is the one worth showing a vision model; when none is that small, the smallest is
 * offered so that the pipeline reports the size rather than nothing.
 */
export function bestPhotoSize(sizes: readonly PhotoSize[]): PhotoSize | undefined {
  const bySize = [...sizes].sort((first, second) => (first.file_size ?? first.width * first.height) - (second.file_size ?? second.width * second.height));
  const downloadable = bySize.filter((size) => size.file_size === undefined || size.file_size <= botApiDownloadLimitBytes);
  return downloadable.at(-1) ?? bySize[0];
}

/** The files of a message as lazily fetched attachments: nothing is downloaded here. */
export function attachmentsOf(message: Message, download: FileDownloader): Attachment[] {
  const attachments: Attachment[] = [];
  const photo = message.photo === undefined ? undefined : bestPhotoSize(message.photo);
  if (photo !== undefined) {
    attachments.push(
      attachment(download, "image/jpeg", { fileId: photo.file_id, name: `photo-${photo.file_unique_id}.jpg`, declaredSize: photo.file_size }),
    );
  }
  const document = message.document;
  if (document !== undefined) {
    const name = document.file_name ?? `document-${document.file_unique_id}`;
    const mimeType = document.mime_type ?? "application/octet-stream";
    attachments.push(attachment(download, mimeType, { fileId: document.file_id, name, declaredSize: document.file_size }));
  }
  const voice = message.voice;
  if (voice !== undefined) {
    attachments.push(
      attachment(download, voice.mime_type ?? "audio/ogg", { fileId: voice.file_id, name: `voice-${voice.file_unique_id}.ogg`, declaredSize: voice.file_size }, true),
    );
  }
  const audio = message.audio;
  if (audio !== undefined) {
    const name = audio.file_name ?? `audio-${audio.file_unique_id}.mp3`;
    attachments.push(attachment(download, audio.mime_type ?? "audio/mpeg", { fileId: audio.file_id, name, declaredSize: audio.file_size }));
  }
  const sticker = message.sticker;
  // A still sticker is a WebP image; animated and video stickers are not something a model reads.
  if (sticker !== undefined) {
    const still = !sticker.is_animated && !sticker.is_video;
    attachments.push(
      attachment(download, still ? "image/webp" : sticker.is_video ? "video/webm" : "application/x-tgsticker", {
        fileId: sticker.file_id,
        name: `sticker-${sticker.file_unique_id}.${still ? "webp" : sticker.is_video ? "webm" : "tgs"}`,
        declaredSize: sticker.file_size,
      }),
    );
  }
  // An animation also arrives as `document` (Telegram keeps that for compatibility): not counted twice.
  const video = message.video ?? message.video_note;
  if (video !== undefined) {
    const name = "file_name" in video && video.file_name !== undefined ? video.file_name : `video-${video.file_unique_id}.mp4`;
    const mimeType = "mime_type" in video && video.mime_type !== undefined ? video.mime_type : "video/mp4";
    attachments.push(attachment(download, mimeType, { fileId: video.file_id, name, declaredSize: video.file_size }));
  }
  return attachments;
}
