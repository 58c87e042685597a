import { badRequest } from "./bot-api-error.js";

/** The Bot API serves downloads of files up to 20 MB; getFile refuses larger ones. */
export const maximumDownloadBytes = 20 * 1024 * 1024;

export interface StoredFile {
  readonly fileId: string;
  readonly fileUniqueId: string;
  readonly filePath: string;
  /** Undefined when a test only declares a size (a file too large to bother creating). */
  readonly bytes: Uint8Array | undefined;
  readonly size: number;
}

export interface RegisterFileOptions {
  /** Used for the download path's extension, as Telegram's `photos/file_3.jpg`. */
  readonly folder: string;
  readonly extension: string;
  /** Declares a size without bytes, for files above the download limit. */
  readonly declaredSize?: number;
}

/** Files users "uploaded": registered by tests, fetched by the bot through getFile + download. */
export class FileStore {
  private readonly files = new Map<string, StoredFile>();
  private readonly filesByPath = new Map<string, StoredFile>();
  private counter = 0;

  register(bytes: Uint8Array | undefined, options: RegisterFileOptions): StoredFile {
    this.counter += 1;
    const file: StoredFile = {
      fileId: `AgAD-fake-file-${this.counter}-${Math.random().toString(36).slice(2, 10)}`,
      fileUniqueId: `AQAD${this.counter}`,
      filePath: `${options.folder}/file_${this.counter}.${options.extension}`,
      bytes,
      size: options.declaredSize ?? bytes?.byteLength ?? 0,
    };
    this.files.set(file.fileId, file);
    this.filesByPath.set(file.filePath, file);
    return file;
  }

  /** getFile: Telegram's answer for an id, or its errors for unknown and oversized files. */
  describe(fileId: string | undefined): { file_id: string; file_unique_id: string; file_size: number; file_path: string } {
    const file = fileId === undefined ? undefined : this.files.get(fileId);
    if (file === undefined) throw badRequest("invalid file_id");
    if (file.size > maximumDownloadBytes) throw badRequest("file is too big");
    return { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.size, file_path: file.filePath };
  }

  byPath(filePath: string): StoredFile | undefined {
    return this.filesByPath.get(filePath);
  }
}
