import { createReadStream } from "node:fs";
import { GrammyError, type Api } from "grammy";
import { readCapped } from "../../core/attachments/read-capped.js";
import { AttachmentTooLargeError } from "../../core/errors.js";

/** The Bot API serves downloads of files up to 20 MB (a local Bot API server has no such limit). */
export const botApiDownloadLimitBytes = 20 * 1024 * 1024;

export interface TelegramFileReference {
  readonly fileId: string;
  readonly name: string;
  readonly declaredSize: number | undefined;
}

export type FileDownloader = (file: TelegramFileReference, maxBytes: number) => Promise<Uint8Array>;

/**
 * Downloads a user's file through getFile and `/file/bot<token>/<path>`, reading no more than
 * `maxBytes`: the declared size is checked first, and the body is cut off as soon as it grows
 * past the cap. A local Bot API server (`--local`) answers with an absolute path on its disk,
 * which is read directly.
 */
export function createFileDownloader(api: Api, apiRoot: string, token: string): FileDownloader {
  return async (file, maxBytes) => {
    if (file.declaredSize !== undefined && file.declaredSize > maxBytes) throw new AttachmentTooLargeError(file.name, maxBytes);
    const described = await api.getFile(file.fileId).catch((error: unknown) => {
      if (error instanceof GrammyError && /file is too big/i.test(error.description)) {
        throw new AttachmentTooLargeError(file.name, botApiDownloadLimitBytes);
      }
      throw error;
    });
    if (described.file_size !== undefined && described.file_size > maxBytes) throw new AttachmentTooLargeError(file.name, maxBytes);
    const filePath = described.file_path;
    if (filePath === undefined) throw new Error(`Telegram gave no download path for ${file.name}.`);
    if (filePath.startsWith("/")) return readCapped(createReadStream(filePath), file.name, maxBytes);
    const response = await fetch(`${apiRoot}/file/bot${token}/${filePath}`);
    // The URL carries the bot token: never put it into an error message.
    if (!response.ok || response.body === null) throw new Error(`Telegram answered ${response.status} to the download of ${file.name}.`);
    const declaredLength = Number(response.headers.get("content-length") ?? Number.NaN);
    if (declaredLength > maxBytes) {
      await response.body.cancel();
      throw new AttachmentTooLargeError(file.name, maxBytes);
    }
    return readCapped(response.body, file.name, maxBytes);
  };
}
