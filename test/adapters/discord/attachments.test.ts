/** Attachments: read lazily by the core, capped while downloading whatever Discord claims. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fetchWithLimit } from "../../../src/adapters/discord/fetch-with-limit.js";
import { AttachmentTooLargeError } from "../../../src/core/errors.js";
import { chatCalls, eventually, printLogsIfFailed, sentToGroq, startDiscordFixture, type DiscordFixture } from "./discord-fixture.js";

describe("Discord attachments end to end", () => {
  let fixture: DiscordFixture;

  beforeEach(async () => {
    fixture = await startDiscordFixture();
  });

  afterEach(async (context) => {
    printLogsIfFailed(context, fixture);
    await fixture.close();
  });

  it("gives the model a text file's content", async () => {
    fixture.harness.groq.setResponder(() => "The file defines greet.");
    const file = fixture.fake.registerAttachment({ filename: "greet.py", contentType: "text/x-python; charset=utf-8", bytes: new TextEncoder().encode("def greet():\n    return 'hi'\n") });
    const direct = fixture.fake.sendDirectMessage({ content: "what does this do?", attachments: [file] });
    await eventually(() => fixture.fake.visibleMessages(direct.channelId).find((message) => message.content === "The file defines greet."));
    expect(sentToGroq(chatCalls(fixture.harness).at(-1)!)).toContain("def greet():");
  });

  it("transcribes a voice message and answers what it said", async () => {
    fixture.harness.groq.setResponder(() => "Answering your voice.");
    const voice = fixture.fake.registerAttachment({ filename: "voice-message.ogg", contentType: "audio/ogg", bytes: new Uint8Array(2_000).fill(7), durationSeconds: 3 });
    const isVoiceMessage = 1 << 13;
    const direct = fixture.fake.sendDirectMessage({ content: "", attachments: [voice], flags: isVoiceMessage });
    // The core shows what it heard above the answer.
    const reply = await eventually(() => fixture.fake.visibleMessages(direct.channelId).find((message) => message.content.endsWith("Answering your voice.")));
    expect(reply.content).toContain("Transcript of voice-message.ogg");
    expect(fixture.harness.groq.calls.some((call) => call.path.endsWith("/audio/transcriptions"))).toBe(true);
    expect(sentToGroq(chatCalls(fixture.harness).at(-1)!)).toContain("Transcript of voice-message.ogg");
  });

  it("refuses a file that is larger than it claims, without asking Groq", async () => {
    const groqCallsBefore = chatCalls(fixture.harness).length;
    const huge = new Uint8Array(3 * 1024 * 1024).fill(97);
    const file = fixture.fake.registerAttachment({ filename: "notes.txt", contentType: "text/plain", bytes: huge, declaredSize: 100 });
    const direct = fixture.fake.sendDirectMessage({ content: "summarize this", attachments: [file] });
    const reply = await eventually(() => fixture.fake.visibleMessages(direct.channelId).find((message) => message.replyToMessageId === direct.id));
    expect(reply.content).toMatch(/`notes\.txt` is too large/);
    expect(chatCalls(fixture.harness).length).toBe(groqCallsBefore);
  });
});

describe("fetchWithLimit", () => {
  let server: Server;
  let url: string;
  let bytesSent = 0;
  let connectionClosed: Promise<void>;

  beforeEach(async () => {
    bytesSent = 0;
    let markClosed: () => void = () => undefined;
    connectionClosed = new Promise((resolve) => (markClosed = resolve));
    // A server that streams without a content-length and never ends: only the cap can stop the reader.
    server = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/octet-stream" });
      const chunk = Buffer.alloc(16 * 1024, 1);
      const timer = setInterval(() => {
        bytesSent += chunk.length;
        response.write(chunk);
      }, 1);
      response.on("close", () => {
        clearInterval(timer);
        markClosed();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/endless.bin`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("stops reading as soon as more than the cap has arrived", async () => {
    const error = await fetchWithLimit(url, "endless.bin", 100_000).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AttachmentTooLargeError);
    expect((error as AttachmentTooLargeError).attachmentName).toBe("endless.bin");
    await connectionClosed;
    expect(bytesSent).toBeLessThan(2_000_000);
  });

  it("returns the bytes of a file within the cap", async () => {
    server.removeAllListeners("request");
    server.on("request", (_request, response) => response.end(Buffer.from("small file")));
    expect(new TextDecoder().decode(await fetchWithLimit(url, "small.txt", 1_000))).toBe("small file");
  });
});
