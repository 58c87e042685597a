import { Api } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFileDownloader } from "../../../src/adapters/telegram/file-download.js";
import { AttachmentTooLargeError } from "../../../src/core/errors.js";
import { startFakeTelegram, type FakeTelegram } from "../../fakes/fake-telegram/index.js";

describe("Telegram file downloads", () => {
  let telegram: FakeTelegram;
  let api: Api;

  beforeAll(async () => {
    telegram = await startFakeTelegram();
    api = new Api(telegram.token, { apiRoot: telegram.apiRoot });
  });

  afterAll(async () => {
    await telegram.close();
  });

  function pushDocument(bytes: Uint8Array): string {
    const message = telegram.pushPrivateMessage({ document: { bytes, fileName: "data.bin", mimeType: "application/octet-stream" } });
    return (message.document as { file_id: string }).file_id;
  }

  it("downloads through getFile and the file URL", async () => {
    const bytes = new Uint8Array(300_000).map((_, index) => index % 256);
    const download = createFileDownloader(api, telegram.apiRoot, telegram.token);
    const fetched = await download({ fileId: pushDocument(bytes), name: "data.bin", declaredSize: bytes.byteLength }, 1_000_000);
    expect(fetched).toEqual(bytes);
  });

  it("refuses a declared size above the cap without any call, and stops reading an undeclared one at the cap", async () => {
    const bytes = new Uint8Array(300_000);
    const fileId = pushDocument(bytes);
    const download = createFileDownloader(api, telegram.apiRoot, telegram.token);
    const callsBefore = telegram.calls.length;
    await expect(download({ fileId, name: "data.bin", declaredSize: 300_000 }, 100_000)).rejects.toBeInstanceOf(AttachmentTooLargeError);
    expect(telegram.calls.length).toBe(callsBefore);
    // A platform may not say how large a file is: the cap then holds while reading.
    const error = await download({ fileId, name: "data.bin", declaredSize: undefined }, 100_000).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AttachmentTooLargeError);
    expect((error as AttachmentTooLargeError).limitBytes).toBe(100_000);
  });

  it("turns Telegram's 'file is too big' into AttachmentTooLargeError", async () => {
    const message = telegram.pushPrivateMessage({ document: { declaredSize: 40 * 1024 * 1024, fileName: "huge.bin", mimeType: "application/octet-stream" } });
    const fileId = (message.document as { file_id: string }).file_id;
    const download = createFileDownloader(api, telegram.apiRoot, telegram.token);
    await expect(download({ fileId, name: "huge.bin", declaredSize: undefined }, 100 * 1024 * 1024)).rejects.toBeInstanceOf(AttachmentTooLargeError);
  });
});
