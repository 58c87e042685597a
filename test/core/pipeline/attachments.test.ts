import { answerOf, errorOf } from "../../support/reply-kinds.js";
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import { finalReplyOf } from "../../../src/core/reply.js";
import { freeTierModels } from "../../fakes/fake-groq/index.js";
import { bytesAttachment, chatRequest } from "../../support/chat-request.js";
import { makePdf } from "../../support/make-pdf.js";
import { startMamiHarness, type MamiHarness } from "../../support/mami-harness.js";

interface SentMessage {
  readonly role: string;
  readonly content: string | { type: string; text?: string; image_url?: { url: string } }[];
}

function lastCall(harness: MamiHarness): { model: string | undefined; messages: SentMessage[] } {
  const calls = harness.groq.calls.filter((call) => call.path.endsWith("/chat/completions") && call.status === 200);
  const call = calls.at(-1);
  return { model: call?.model, messages: (call?.body as { messages: SentMessage[] }).messages };
}

async function photo(width: number, height: number): Promise<Uint8Array> {
  return new Uint8Array(await sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } }).jpeg().toBuffer());
}

let harness: MamiHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("attachments", () => {
  it("sends an image to a vision model as a data URL", async () => {
    harness = await startMamiHarness();
    const image = bytesAttachment("cat.jpg", "image/jpeg", await photo(640, 480));
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("what colour is this?", { attachments: [image] })));
    expect(reply.kind).toBe("answer");
    expect(answerOf(reply).role).toBe("vision");
    const { model, messages } = lastCall(harness);
    expect(model).toBe("qwen/qwen3.6-27b");
    const parts = messages.at(-1)?.content;
    expect(Array.isArray(parts)).toBe(true);
    const imagePart = (parts as { type: string; image_url?: { url: string } }[]).find((part) => part.type === "image_url");
    expect(imagePart?.image_url?.url).toMatch(/^data:image\/jpeg;base64,\/9j\//);
  });

  it("routes a 120 KB text file to long_context and answers from a model whose limits take it", async () => {
    const models = freeTierModels.map((model) => (model.id === "openai/gpt-oss-120b" ? { ...model, tokensPerMinute: 250_000 } : model));
    harness = await startMamiHarness({ models });
    const log = "2026-11-26T10:00:00Z INFO request served in 12 ms path=/api/items status=200\n".repeat(1_600);
    expect(log.length).toBeGreaterThan(120_000);
    const file = bytesAttachment("server.log", "text/plain", new TextEncoder().encode(log));
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("what stands out in this log?", { attachments: [file] })));
    expect(answerOf(reply).role).toBe("long_context");
    expect(reply.kind).toBe("answer");
    const sent = lastCall(harness).messages.at(-1)?.content as string;
    expect(sent).toContain("File server.log:");
    expect(sent).toContain("path=/api/items");
  });

  it("says so plainly, with the figures, when a document too large for every model would take too long to read in parts", async () => {
    harness = await startMamiHarness({ env: { DOCUMENT_MAX_READING_SECONDS: "30" } });
    const file = bytesAttachment("big.md", "text/markdown", new TextEncoder().encode("word ".repeat(40_000)));
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("summarise", { attachments: [file] })));
    expect(reply.kind).toBe("error");
    expect(reply.text).toMatch(/^`big\.md` is about 50,000 tokens\. Reading it would take about \d+ (seconds|minutes) .* at most 30 seconds\./);
  });

  it("puts a PDF's text into the prompt", async () => {
    harness = await startMamiHarness();
    const pdf = bytesAttachment("report.pdf", "application/pdf", makePdf(["Quarterly revenue grew 12 percent.", "Churn fell to 3 percent."]));
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("summarise this report", { attachments: [pdf] })));
    expect(reply.kind).toBe("answer");
    const sent = lastCall(harness).messages.at(-1)?.content as string;
    expect(sent).toContain("report.pdf (2 pages)");
    expect(sent).toContain("Quarterly revenue grew 12 percent.");
    expect(sent).toContain("Churn fell to 3 percent.");
  });

  it("transcribes a voice note, answers it, and says what it heard", async () => {
    const { startFakeGroq } = await import("../../fakes/fake-groq/index.js");
    const groq = await startFakeGroq({ models: freeTierModels, apiKey: "gsk_test_key", transcribe: () => "What is the capital of Türkiye?" });
    harness = await startMamiHarness({ groq });
    const voice = bytesAttachment("voice.ogg", "audio/ogg", new Uint8Array(2_000).fill(7), { isVoiceMessage: true });
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("", { attachments: [voice] })));
    expect(reply.kind).toBe("answer");
    expect(reply.text).toMatch(/^_Heard: "What is the capital of Türkiye\?"_/);
    expect(lastCall(harness).messages.at(-1)?.content).toBe("What is the capital of Türkiye?");
    expect(groq.calls.some((call) => call.path.endsWith("/audio/transcriptions") && call.model === "whisper-large-v3-turbo")).toBe(true);
    await groq.close();
  });

  it("refuses an oversized file by its declared size, naming the limit, and answers the next message", async () => {
    harness = await startMamiHarness();
    const huge = { ...bytesAttachment("huge.png", "image/png", new Uint8Array(10)), declaredSize: 50 * 1024 * 1024 };
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("look", { attachments: [huge] })));
    expect(reply.kind).toBe("error");
    expect(errorOf(reply).failure).toBe("bad_input");
    expect(reply.text).toContain("20 MB");
    expect(harness.groq.calls.filter((call) => call.path.endsWith("/chat/completions"))).toHaveLength(0);
    const next = await finalReplyOf(harness.mami.reply(chatRequest("hello again, friend")));
    expect(next.kind).toBe("answer");
  });

  it("enforces the cap while reading even when the declared size lies", async () => {
    harness = await startMamiHarness();
    const liar = { ...bytesAttachment("notes.txt", "text/plain", new Uint8Array(3 * 1024 * 1024).fill(65)), declaredSize: 10 };
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("read this", { attachments: [liar] })));
    expect(errorOf(reply).failure).toBe("bad_input");
    expect(reply.text).toContain("2 MB");
  });

  it("says a file of blank lines has no text, rather than read nothing in parts", async () => {
    harness = await startMamiHarness();
    const blank = bytesAttachment("lines.txt", "text/plain", new TextEncoder().encode(" \n".repeat(700_000)));
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("what is this?", { attachments: [blank] })));
    expect(errorOf(reply).failure).toBe("bad_input");
    expect(reply.text).toBe("`lines.txt` has nothing but blank lines and spaces in it. Send a file with some text.");
    expect(harness.groq.calls.filter((call) => call.path.endsWith("/chat/completions"))).toHaveLength(0);
  });

  it("names the supported kinds for a file it cannot read", async () => {
    harness = await startMamiHarness();
    const sheet = bytesAttachment("budget.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", new Uint8Array(100));
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("check my budget", { attachments: [sheet] })));
    expect(errorOf(reply).failure).toBe("bad_input");
    expect(reply.text).toMatch(/can't read `budget\.xlsx`/);
    expect(reply.text).toMatch(/images .*PDFs/);
  });

  it("refuses a broken image with what to send instead", async () => {
    harness = await startMamiHarness();
    const broken = bytesAttachment("photo.jpg", "image/jpeg", new Uint8Array(500).fill(3));
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("what is this?", { attachments: [broken] })));
    expect(errorOf(reply).failure).toBe("bad_input");
    expect(reply.text).toMatch(/JPEG, PNG, WebP or GIF/);
  });
});
