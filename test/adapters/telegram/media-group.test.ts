import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mediaGroupTiming } from "../../../src/adapters/telegram/media-groups.js";
import { freeTierModels } from "../../fakes/fake-groq/index.js";
import type { AlbumItem, TelegramMessage } from "../../fakes/fake-telegram/index.js";
import {
  answeredChatCalls,
  freshGroupId,
  freshUserId,
  messagesOf,
  startTelegramEndToEnd,
  textOf,
  textsIn,
  waitForMessageText,
  type TelegramEndToEnd,
} from "./telegram-end-to-end.js";

async function jpeg(red: number): Promise<Uint8Array> {
  return new Uint8Array(await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: red, g: 30, b: 60 } } }).jpeg().toBuffer());
}

interface ContentPart {
  readonly type: string;
  readonly text?: string;
}

/** The user's last turn in a chat call: its text and how many images it carried. */
function lastTurn(messages: readonly unknown[]): { readonly text: string; readonly images: number } {
  const turns = messages as readonly { readonly role: string; readonly content: string | readonly ContentPart[] }[];
  const content = turns.filter((message) => message.role === "user").at(-1)?.content ?? "";
  if (typeof content === "string") return { text: content, images: 0 };
  return {
    text: content.map((part) => part.text ?? "").join("\n"),
    images: content.filter((part) => part.type === "image_url").length,
  };
}

/** Says what it was given, so that each answer shows which request it belongs to (without a group's recent messages before it). */
function describeLastTurn(call: { readonly messages: readonly unknown[] }): string {
  const { text, images } = lastTurn(call.messages);
  if (images === 0) return `You said: ${text.replace(/^[\s\S]*\nThe message to answer follows, from [^\n]*\n\n/, "")}`;
  return images === 1 ? "I see 1 picture." : `I see ${images} pictures.`;
}

function largestPhotoFileId(message: TelegramMessage): string {
  return (message.photo as { file_id: string }[]).at(-1)!.file_id;
}

describe("Telegram albums (media groups)", () => {
  let rig: TelegramEndToEnd;
  let photos: Uint8Array[];

  beforeAll(async () => {
    // Several image answers within seconds: more than the free tier's vision quota (8,000 tokens a minute) allows.
    const generousVision = freeTierModels.map((model) => (model.acceptsImages === true ? { ...model, tokensPerMinute: 1_000_000 } : model));
    rig = await startTelegramEndToEnd({ harness: { models: generousVision } });
    rig.harness.groq.setResponder(describeLastTurn);
    photos = await Promise.all([200, 120, 40].map(jpeg));
  });

  afterAll(async () => {
    await rig.close();
  });

  function albumOfThree(caption: string | undefined): AlbumItem[] {
    return photos.map((photo, index) => (index === 0 && caption !== undefined ? { photo, caption } : { photo }));
  }

  it("answers a private album once: one Groq call with every photo and the caption, replying to the first item", async () => {
    const { telegram, harness } = rig;
    const chatId = freshUserId();
    const before = answeredChatCalls(harness.groq).length;
    const caption = "What do these three pictures have in common?";
    // Items a slow upload spreads out, each within the quiet period of the one before.
    const album = telegram.pushPrivateAlbum({ chatId, from: { id: chatId }, items: albumOfThree(caption), arrivalGapMs: 200 });

    const answer = await waitForMessageText(telegram, chatId, "I see 3 pictures.");
    expect(answer.replyToMessageId).toBe(album[0]?.message_id);
    // Handled after the album: once this is answered, the album has had every answer it gets.
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "thanks" });
    await waitForMessageText(telegram, chatId, "You said: thanks");
    expect(textsIn(telegram, chatId)).toEqual(["I see 3 pictures.", "You said: thanks"]);

    const [albumCall, ...others] = answeredChatCalls(harness.groq).slice(before);
    expect(others).toHaveLength(1);
    const imageParts = messagesOf(albumCall!).flatMap((message) =>
      Array.isArray(message.content) ? (message.content as { type: string }[]).filter((part) => part.type === "image_url") : [],
    );
    expect(imageParts).toHaveLength(3);
    expect(textOf(albumCall!)).toContain(caption);
    expect(textOf(albumCall!)).not.toContain("What is in this image?");
    const fetched = telegram.calls.filter((call) => call.method === "getFile").map((call) => call.params["file_id"]);
    for (const item of album) expect(fetched).toContain(largestPhotoFileId(item));
  });

  it("answers a group album whose caption mentions the bot once, with the mention cut from the text", async () => {
    const { telegram, harness } = rig;
    const chatId = freshGroupId();
    const before = answeredChatCalls(harness.groq).length;
    const album = telegram.pushGroupAlbum({ chatId, mention: true, items: albumOfThree("which one is the darkest?") });

    const answer = await waitForMessageText(telegram, chatId, "I see 3 pictures.");
    expect(answer.replyToMessageId).toBe(album[0]?.message_id);
    telegram.pushGroupMessage({ chatId, mention: true, text: "thanks" });
    await waitForMessageText(telegram, chatId, "You said: thanks");
    expect(textsIn(telegram, chatId)).toEqual(["I see 3 pictures.", "You said: thanks"]);
    const [albumCall, ...others] = answeredChatCalls(harness.groq).slice(before);
    expect(others).toHaveLength(1);
    expect(lastTurn(messagesOf(albumCall!)).text).toContain("which one is the darkest?");
    expect(textOf(albumCall!)).not.toContain("@mami_test_bot");
  });

  it("answers a group album sent as a reply to the bot, though no item has a caption", async () => {
    const { telegram } = rig;
    const chatId = freshGroupId();
    telegram.pushGroupMessage({ chatId, mention: true, text: "send me your photos" });
    const invitation = await waitForMessageText(telegram, chatId, "You said: send me your photos");
    const album = telegram.pushGroupAlbum({ chatId, replyToBotMessageId: invitation.messageId, items: albumOfThree(undefined) });

    const answer = await waitForMessageText(telegram, chatId, "I see 3 pictures.");
    expect(answer.replyToMessageId).toBe(album[0]?.message_id);
    telegram.pushGroupMessage({ chatId, mention: true, text: "thanks" });
    await waitForMessageText(telegram, chatId, "You said: thanks");
    expect(textsIn(telegram, chatId)).toEqual(["You said: send me your photos", "I see 3 pictures.", "You said: thanks"]);
  });

  it("ignores a group album that does not address the bot: no answer, no download", async () => {
    const { telegram, harness } = rig;
    const chatId = freshGroupId();
    const before = answeredChatCalls(harness.groq).length;
    const album = telegram.pushGroupAlbum({ chatId, items: albumOfThree("our holiday, everyone") });
    // Handled after the album, so once it is answered the album was seen and left alone.
    telegram.pushGroupMessage({ chatId, mention: true, text: "are you there?" });
    await waitForMessageText(telegram, chatId, "You said: are you there?");

    expect(textsIn(telegram, chatId)).toEqual(["You said: are you there?"]);
    expect(answeredChatCalls(harness.groq).length).toBe(before + 1);
    const fetched = telegram.calls.filter((call) => call.method === "getFile").map((call) => call.params["file_id"]);
    for (const item of album) expect(fetched).not.toContain(largestPhotoFileId(item));
    // Seen, though: the mention after it has its caption in view among the group's recent messages.
    expect(textOf(answeredChatCalls(harness.groq).at(-1)!)).toContain("Ada: our holiday, everyone");
  });

  it("still answers a single photo at once, and two photos sent one by one separately", async () => {
    const { telegram } = rig;
    const chatId = freshUserId();
    const pushedAt = Date.now();
    const first = telegram.pushPrivateMessage({ chatId, from: { id: chatId }, photo: photos[0]!, caption: "and this one?" });
    const typing = await telegram.waitForCall("sendChatAction", (call) => Number(call.params["chat_id"]) === chatId);
    // Not held for an album's quiet period.
    expect(typing.receivedAt - pushedAt).toBeLessThan(mediaGroupTiming.quietMs);
    const answer = await waitForMessageText(telegram, chatId, "I see 1 picture.");
    expect(answer.replyToMessageId).toBe(first.message_id);

    const second = telegram.pushPrivateMessage({ chatId, from: { id: chatId }, photo: photos[1]! });
    const third = telegram.pushPrivateMessage({ chatId, from: { id: chatId }, photo: photos[2]! });
    const done = telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "done" });
    await waitForMessageText(telegram, chatId, "You said: done");
    expect(telegram.messagesIn(chatId).map((message) => [message.text, message.replyToMessageId])).toEqual([
      ["I see 1 picture.", first.message_id],
      ["I see 1 picture.", second.message_id],
      ["I see 1 picture.", third.message_id],
      ["You said: done", done.message_id],
    ]);
  });

  it("answers messages sent right after an album after the album's answer, in the order they were sent", async () => {
    const { telegram } = rig;
    const chatId = freshUserId();
    const album = telegram.pushPrivateAlbum({ chatId, from: { id: chatId }, items: albumOfThree("compare them") });
    // Arrive while the album is still being collected.
    const one = telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "one" });
    const two = telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "two" });

    await waitForMessageText(telegram, chatId, "You said: two");
    expect(telegram.messagesIn(chatId).map((message) => [message.text, message.replyToMessageId])).toEqual([
      ["I see 3 pictures.", album[0]?.message_id],
      ["You said: one", one.message_id],
      ["You said: two", two.message_id],
    ]);
  });
});
