/**
 * Long files in a conversation's history: kept once by content hash outside the history row, read
 * back into the prompt of later messages when they fit the model.
 */
import { afterEach, describe, expect, it } from "vitest";
import { chatCommands } from "../../../commands/index.js";
import { loadConfig } from "../../../src/core/config/config.js";
import { loadHistory } from "../../../src/core/conversation/history.js";
import { createMami, type Mami } from "../../../src/core/mami.js";
import type { KeyValueStore } from "../../../src/core/ports/key-value-store.js";
import { silentLogger } from "../../../src/core/ports/logger.js";
import type { CompletionRequest } from "../../../src/core/ports/model-client.js";
import { finalReplyOf } from "../../../src/core/reply.js";
import { pdfTextExtractor } from "../../../src/media/pdf-text-extractor.js";
import { sharpImageNormalizer } from "../../../src/media/sharp-image-normalizer.js";
import { createKeyValueStore } from "../../../src/store/create-store.js";
import { bytesAttachment, chatRequest } from "../../support/chat-request.js";
import { FakeModelClient } from "../../support/fake-model-client.js";
import { ManualClock } from "../../support/manual-clock.js";
import { answerOf } from "../../support/reply-kinds.js";

const big = "openai/gpt-oss-120b";
let store: KeyValueStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

/** Each message a minute after the one before, so that one model's minute of quota serves them all. */
async function startCore(client: FakeModelClient): Promise<{ mami: Mami; store: KeyValueStore; ask: (text: string, withFile?: boolean) => Promise<void> }> {
  const config = loadConfig({ GROQ_API_KEY: "gsk_test", STORE_URL: "memory://", ROUTER_MODE: "heuristic", SAFETY: "off", REPLY_FOOTER: "off", MODELS_CHAT: big, EXTRA_MODELS: "off" }, "ask");
  store = await createKeyValueStore(config.storeUrl);
  const clock = new ManualClock();
  const mami = await createMami(config, { client, store, clock, logger: silentLogger, images: sharpImageNormalizer, documents: pdfTextExtractor }, { commands: chatCommands });
  const ask = async (text: string, withFile = false): Promise<void> => {
    answerOf(await finalReplyOf(mami.reply(chatRequest(text, withFile ? { attachments: [file()] } : {}))));
    await clock.advance(61_000);
  };
  return { mami, store, ask };
}

function promptOf(request: CompletionRequest | undefined): string {
  return (request?.messages ?? []).map((message) => (typeof message.content === "string" ? message.content : "")).join("\n");
}

const report = Array.from({ length: 100 }, (_, index) => `Finding ${index}: the pump in hall ${index % 7} ran ${index} hours.`).join("\n");
const file = (): ReturnType<typeof bytesAttachment> => bytesAttachment("report.txt", "text/plain", new TextEncoder().encode(report));
const conversation = "cli:test-chat";

describe("a long file in the conversation's history", () => {
  it("is stored once by its hash, named by the history, and read back into later prompts", async () => {
    const client = new FakeModelClient(() => ({ text: "Noted." }), [{ id: big }]);
    const { store, ask } = await startCore(client);
    await ask("read this report", true);
    await ask("and read it again", true);

    const history = await loadHistory(store, conversation);
    const references = history.flatMap((turn) => turn.documents ?? []);
    expect(references).toHaveLength(2);
    // The same file twice is one stored text.
    expect(references[0]?.hash).toBe(references[1]?.hash);
    expect(await store.get<string>("documents", references[0]?.hash ?? "")).toContain("Finding 99:");
    // The history row holds the words and answers, not the file.
    const rowBytes = Buffer.byteLength(JSON.stringify(history));
    expect(report.length).toBeGreaterThan(4_000);
    expect(rowBytes).toBeLessThan(report.length / 2);
    expect(JSON.stringify(history)).not.toContain("Finding 99:");

    // A later question is asked with the file in its history.
    await ask("which hall ran longest?");
    const prompt = promptOf(client.calls.at(-1));
    expect(prompt).toContain("Finding 99: the pump in hall 1 ran 99 hours.");
    expect(prompt.indexOf("read this report")).toBeLessThan(prompt.indexOf("Finding 0:"));
  });

  it("is named in the prompt once its stored text has expired", async () => {
    const client = new FakeModelClient(() => ({ text: "Noted." }), [{ id: big }]);
    const { store, ask } = await startCore(client);
    await ask("read this report", true);
    const [reference] = (await loadHistory(store, conversation)).flatMap((turn) => turn.documents ?? []);
    await store.delete("documents", reference?.hash ?? "");
    await ask("which hall ran longest?");
    const prompt = promptOf(client.calls.at(-1));
    expect(prompt).not.toContain("Finding 0:");
    expect(prompt).toContain("File report.txt: [no longer kept]");
  });
});
