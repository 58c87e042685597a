import { attemptsOf } from "../../../src/core/reply.js";
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import { finalReplyOf } from "../../../src/core/reply.js";
import { parseSafetyVerdict } from "../../../src/core/safety/categories.js";
import type { ChatCall } from "../../fakes/fake-groq/index.js";
import { bytesAttachment, chatRequest } from "../../support/chat-request.js";
import { startMamiHarness, type MamiHarness } from "../../support/mami-harness.js";

const guard = "meta-llama/llama-guard-4-12b";
const safeguard = "openai/gpt-oss-safeguard-20b";
const generationModels = ["openai/gpt-oss-120b", "openai/gpt-oss-20b", "qwen/qwen3.6-27b"];

function lastUserText(call: ChatCall): string {
  const last = call.messages.at(-1) as { content: string | { type: string; text?: string }[] };
  return typeof last.content === "string" ? last.content : last.content.map((part) => part.text ?? "").join(" ");
}

/** Safety models call anything about explosives unsafe (S9); generation models echo. */
function responder(call: ChatCall): string {
  if (call.model === guard || call.model === safeguard) return /explosive/i.test(lastUserText(call)) ? "unsafe\nS9" : "safe";
  return `Answer from ${call.model}: ${lastUserText(call).slice(0, 40)}`;
}

function generationCalls(harness: MamiHarness): number {
  return generationModels.reduce((total, model) => total + harness.groq.chatCallsTo(model).length, 0);
}

let harness: MamiHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("safety verdicts", () => {
  it("parses Llama Guard's answers and rejects anything else", () => {
    expect(parseSafetyVerdict("safe")).toEqual({ safe: true });
    expect(parseSafetyVerdict("\nunsafe\nS2,S10\n")).toEqual({ safe: false, categories: ["S2", "S10"] });
    expect(parseSafetyVerdict("Unsafe\ns9")).toEqual({ safe: false, categories: ["S9"] });
    expect(parseSafetyVerdict("I think this is fine")).toBeUndefined();
  });
});

describe("input screening", () => {
  it("refuses an unsafe message in plain words and never calls a generation model", async () => {
    harness = await startMamiHarness({ env: { SAFETY: "input" } });
    harness.groq.setResponder(responder);
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("how do I build an explosive device at home")));
    expect(reply.kind).toBe("refusal");
    expect(reply.text).toBe("I can't help with that: it falls under indiscriminate weapons.");
    expect(generationCalls(harness)).toBe(0);
    expect(harness.groq.chatCallsTo(guard)).toHaveLength(1);
  });

  it("screens with a tiny completion budget and no system message for Llama Guard, then answers a safe message", async () => {
    harness = await startMamiHarness({ env: { SAFETY: "input" } });
    harness.groq.setResponder(responder);
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("what is the tallest mountain in Europe?")));
    expect(reply.kind).toBe("answer");
    const body = harness.groq.chatCallsTo(guard)[0]?.body as { messages: { role: string }[]; max_completion_tokens: number };
    expect(body.messages.map((message) => message.role)).toEqual(["user"]);
    expect(body.max_completion_tokens).toBe(16);
  });

  it("sends images to the safety screen too", async () => {
    harness = await startMamiHarness({ env: { SAFETY: "input" } });
    harness.groq.setResponder(responder);
    const image = new Uint8Array(await sharp({ create: { width: 64, height: 64, channels: 3, background: "#336699" } }).png().toBuffer());
    await finalReplyOf(harness.mami.reply(chatRequest("what is this?", { attachments: [bytesAttachment("a.png", "image/png", image)] })));
    const body = harness.groq.chatCallsTo(guard)[0]?.body as { messages: { content: { type: string }[] }[] };
    expect(body.messages[0]?.content.some((part) => part.type === "image_url")).toBe(true);
  });

  it("falls back to gpt-oss-safeguard with our policy when Llama Guard is gone", async () => {
    harness = await startMamiHarness({ env: { SAFETY: "input" } });
    harness.groq.setResponder(responder);
    harness.groq.setModelStatus(guard, "decommissioned");
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("explain how explosive compounds are made in bulk")));
    expect(reply.kind).toBe("refusal");
    const body = harness.groq.chatCallsTo(safeguard)[0]?.body as { messages: { role: string; content: string }[] };
    expect(body.messages[0]?.role).toBe("system");
    expect(body.messages[0]?.content).toMatch(/S9: indiscriminate weapons/);
    expect(body.messages[0]?.content).toMatch(/`unsafe`/);
  });

  it("answers with a warning when every safety model is down and SAFETY_ON_OUTAGE=allow", async () => {
    harness = await startMamiHarness({ env: { SAFETY: "input", SAFETY_ON_OUTAGE: "allow" } });
    for (const model of [guard, safeguard]) harness.groq.inject(model, { kind: "status", status: 503, times: 5 });
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("what is the tallest mountain in Europe?")));
    expect(reply.kind).toBe("answer");
    expect(attemptsOf(reply).filter((attempt) => attempt.outcome === "server_error").map((attempt) => attempt.model)).toEqual([guard, safeguard]);
  });

  it("refuses to answer when every safety model is down and SAFETY_ON_OUTAGE=block", async () => {
    harness = await startMamiHarness({ env: { SAFETY: "input", SAFETY_ON_OUTAGE: "block" } });
    for (const model of [guard, safeguard]) harness.groq.inject(model, { kind: "status", status: 503, times: 5 });
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("what is the tallest mountain in Europe?")));
    expect(reply.kind).toBe("error");
    expect(reply.text).toMatch(/can't check messages for safety/);
    expect(generationCalls(harness)).toBe(0);
  });
});

describe("answer screening", () => {
  it("withholds an unsafe answer when SAFETY=both", async () => {
    harness = await startMamiHarness({ env: { SAFETY: "both" } });
    harness.groq.setResponder((call) => {
      if (call.model === guard) {
        const assistant = call.messages.find((message) => (message as { role: string }).role === "assistant");
        return assistant !== undefined ? "unsafe\nS2" : "safe";
      }
      return "Here is how to pick the lock on your neighbour's door";
    });
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("tell me about locks")));
    expect(reply.kind).toBe("refusal");
    expect(reply.text).toMatch(/non-violent crimes/);
    expect(harness.groq.chatCallsTo(guard)).toHaveLength(2);
  });
});
