import type { Message, PhotoSize } from "grammy/types";
import { describe, expect, it } from "vitest";
import { addressingOf } from "../../../src/adapters/telegram/addressing.js";
import { albumAsOneMessage } from "../../../src/adapters/telegram/album-message.js";
import { toChatRequest } from "../../../src/adapters/telegram/to-chat-request.js";

const bot = { id: 42, username: "mami_test_bot" };
const user = { id: 7, is_bot: false, first_name: "Ada" };
const group = { id: -100_5, type: "supergroup" as const, title: "Testers" };
const noDownloads = () => Promise.reject(new Error("no downloads in this test"));

function photo(name: string): PhotoSize[] {
  return [{ file_id: name, file_unique_id: name, width: 640, height: 480, file_size: 1000 }];
}

function albumItem(messageId: number, fields: Partial<Message> = {}): Message {
  return { message_id: messageId, date: 0, chat: group, from: user, media_group_id: "9001", photo: photo(`photo-${messageId}`), ...fields };
}

describe("an album as one message", () => {
  it("keeps the first item's id, joins every caption with its entities, and takes the reply of any item", () => {
    const botMessage = { message_id: 3, date: 0, chat: group, from: { id: 42, is_bot: true, first_name: "Mami" }, text: "send them" };
    const album = [
      albumItem(20),
      albumItem(21, { caption: "👋 compare", caption_entities: [{ type: "bold", offset: 3, length: 7 }] }),
      albumItem(22, { caption: "@mami_test_bot which is sharper?", caption_entities: [{ type: "mention", offset: 0, length: 14 }], reply_to_message: botMessage as never }),
    ] as const;
    const merged = albumAsOneMessage(album);

    expect(merged.message_id).toBe(20);
    expect(merged.caption).toBe("👋 compare\n\n@mami_test_bot which is sharper?");
    // "👋 compare\n\n" is 12 UTF-16 code units: the second caption's mention moved by as much.
    expect(merged.caption_entities).toEqual([
      { type: "bold", offset: 3, length: 7 },
      { type: "mention", offset: 12, length: 14 },
    ]);
    expect(merged.reply_to_message?.message_id).toBe(3);
    expect(addressingOf(merged, bot)?.addressedBy).toBe("mention");

    const request = toChatRequest(merged, { addressedBy: "mention" }, { bot, download: noDownloads, receivedAt: 0 }, album);
    expect(request.messageId).toBe("20");
    // The mention found where the shifted offset points, and cut out.
    expect(request.text).toMatch(/^👋 compare\n\n\s*which is sharper\?$/);
    expect(request.attachments.map((attachment) => attachment.name)).toEqual(["photo-photo-20.jpg", "photo-photo-21.jpg", "photo-photo-22.jpg"]);
  });

  it("leaves an album without a caption or reply unaddressed in a group", () => {
    const merged = albumAsOneMessage([albumItem(30), albumItem(31)]);
    expect(merged.caption).toBeUndefined();
    expect(merged.caption_entities).toBeUndefined();
    expect(addressingOf(merged, bot)).toBeUndefined();
  });
});
