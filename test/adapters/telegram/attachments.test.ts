import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TelegramMessage } from "../../fakes/fake-telegram/index.js";
import {
  answeredChatCalls,
  chatCallsMentioning,
  freshUserId,
  messagesOf,
  startTelegramEndToEnd,
  textOf,
  textsIn,
  waitForMessageText,
  waitUntil,
  type TelegramEndToEnd,
} from "./telegram-end-to-end.js";

async function jpeg(width: number, height: number): Promise<Uint8Array> {
  return new Uint8Array(await sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 60 } } }).jpeg().toBuffer());
}

function fileIdsOf(message: TelegramMessage, field: "photo"): string[] {
  return (message[field] as { file_id: string }[]).map((size) => size.file_id);
}

describe("Telegram attachments", () => {
  let rig: TelegramEndToEnd;

  beforeAll(async () => {
    rig = await startTelegramEndToEnd();
  });

  afterAll(async () => {
    await rig.close();
  });

  it("answers a photo with a caption through a vision model that receives the image as a data URL", async () => {
    const { telegram, harness } = rig;
    const chatId = freshUserId();
    harness.groq.setResponder((call) => `A red rectangle (seen by ${call.model}).`);
    const photoMessage = telegram.pushPrivateMessage({
      chatId,
      from: { id: chatId },
      caption: "What colour is this picture?",
      photo: [
        { bytes: await jpeg(32, 24), width: 32, height: 24 },
        { bytes: await jpeg(640, 480), width: 640, height: 480 },
        // Too large for the Bot API to serve: the adapter takes the largest size it can download.
        { declaredSize: 25 * 1024 * 1024, width: 5000, height: 4000 },
      ],
    });
    await waitUntil(() => textsIn(telegram, chatId).some((text) => text.startsWith("A red rectangle")), "the vision answer");

    const [, middleSize, hugeSize] = fileIdsOf(photoMessage, "photo");
    const fetched = telegram.calls.filter((call) => call.method === "getFile");
    expect(fetched.map((call) => call.params["file_id"])).toContain(middleSize);
    expect(fetched.map((call) => call.params["file_id"])).not.toContain(hugeSize);

    const visionCall = chatCallsMentioning(harness.groq, "What colour is this picture?")[0]!;
    const visionModels = ["meta-llama/llama-4-maverick-17b-128e-instruct", "meta-llama/llama-4-scout-17b-16e-instruct", "qwen/qwen3.6-27b"];
    expect(visionModels).toContain(visionCall.model);
    const parts = messagesOf(visionCall).flatMap((message) => (Array.isArray(message.content) ? (message.content as { type: string; image_url?: { url: string } }[]) : []));
    const image = parts.find((part) => part.type === "image_url");
    expect(image?.image_url?.url).toMatch(/^data:image\/(jpeg|png|webp);base64,/);
    expect(textsIn(telegram, chatId)[0]).toBe(`A red rectangle (seen by ${visionCall.model}).`);
  });

  it("reads a text document: its content reaches Groq", async () => {
    const { telegram, harness } = rig;
    const chatId = freshUserId();
    harness.groq.setResponder(() => "Grace has the top score.");
    const csv = "name,score\nada,10\ngrace,12\nlinus,7\n";
    telegram.pushPrivateMessage({
      chatId,
      from: { id: chatId },
      caption: "Who has the top score?",
      document: { bytes: new TextEncoder().encode(csv), fileName: "scores.csv", mimeType: "text/csv" },
    });
    await waitForMessageText(telegram, chatId, "Grace has the top score.");
    const call = chatCallsMentioning(harness.groq, "Who has the top score?")[0]!;
    expect(textOf(call)).toContain("grace,12");
    expect(textOf(call)).toContain("scores.csv");
  });

  it("answers a voice note: a transcription call first, then an answer to what was said", async () => {
    const { telegram, harness } = rig;
    const chatId = freshUserId();
    harness.groq.setResponder(() => "I heard you.");
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, voice: { bytes: new Uint8Array(2048).fill(7), durationSeconds: 2 } });
    await waitUntil(() => textsIn(telegram, chatId).some((text) => text.endsWith("I heard you.")), "the answer to the voice note");
    // The core shows what it heard before the answer.
    expect(textsIn(telegram, chatId)[0]).toContain("2048 bytes of audio");
    const transcription = harness.groq.calls.find((call) => call.path.endsWith("/audio/transcriptions") && call.status === 200);
    expect(transcription).toBeDefined();
    const answerCall = chatCallsMentioning(harness.groq, "2048 bytes of audio")[0]!;
    expect(answerCall).toBeDefined();
    expect(harness.groq.calls.indexOf(transcription!)).toBeLessThan(harness.groq.calls.indexOf(answerCall));
  });

  it("refuses a document above the size cap without downloading it, and says so", async () => {
    const { telegram, harness } = rig;
    const chatId = freshUserId();
    const before = answeredChatCalls(harness.groq).length;
    const huge = telegram.pushPrivateMessage({
      chatId,
      from: { id: chatId },
      caption: "summarize",
      document: { declaredSize: 30 * 1024 * 1024, fileName: "huge-log.txt", mimeType: "text/plain" },
    });
    await waitUntil(() => textsIn(telegram, chatId).length === 1, "the reply about the large file");
    expect(textsIn(telegram, chatId)[0]).toContain("huge-log.txt");
    const hugeFileId = (huge.document as { file_id: string }).file_id;
    expect(telegram.calls.filter((call) => call.method === "getFile" && call.params["file_id"] === hugeFileId)).toHaveLength(0);
    expect(answeredChatCalls(harness.groq).length).toBe(before);
  });
});
