/**
 * Telegram latency and cost, measured over the real grammY bot (runner, throttler, auto-retry),
 * the real core and store, the fake Groq and the fake Telegram:
 *
 * - first visible text: from the moment the fake Groq's first content chunk of the answer passes
 *   on the wire (seen by a transparent proxy between groq-sdk and the fake Groq, which parses the
 *   server-sent events as they go by) to the first sendMessage or sendMessageDraft of that chat
 *   arriving at the fake Telegram. It covers groq-sdk's stream parsing, the core's pipeline, the
 *   presenter, HTML rendering, the outgoing throttle and the Bot API request;
 * - the same from the first delta leaving the core (the Discord benchmark's measure), for
 *   comparison;
 * - Bot API calls per answered message, excluding getUpdates: typing, drafts or edits, sends.
 *
 * Both ends are read on one clock (performance.timeOrigin + performance.now(), one process).
 * Each DM goes to a chat of its own, one after the other, so the numbers carry no queueing.
 */
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Mami } from "../../src/core/mami.js";
import { freshUserId, startTelegramEndToEnd, waitUntil, type TelegramEndToEnd } from "../adapters/telegram/telegram-end-to-end.js";
import { freeTierModels, startFakeGroq, type FakeGroq } from "../fakes/fake-groq/index.js";
import { observeReplies } from "../support/observed-core.js";
import { reportLatency } from "../support/statistics.js";

const samplesPerMode = 20;
/** About 1,200 characters: at the fake's pace (8 characters every 10 ms) it streams for 1.5 s, so it is updated while it grows. */
const answerText = Array.from(
  { length: 4 },
  () =>
    "Here is a short walkthrough. First, the queue takes the job; then the worker runs it and reports back. " +
    "If the worker fails, the job returns to the queue with a delay, and after three failures it is parked for a human. " +
    "That keeps retries cheap and the failures visible.",
).join("\n\n");

function wallClock(): number {
  return performance.timeOrigin + performance.now();
}

/** Forwards everything to the fake Groq and notes when the first content chunk of each stream passes, by the marker in its prompt. */
async function startChunkWatchingProxy(target: string, firstContentChunkAt: Map<string, number>): Promise<{ url: string; server: Server }> {
  const targetUrl = new URL(target);
  const server = createServer((incoming, outgoing) => {
    const bodyChunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => bodyChunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(bodyChunks);
      const marker = /question-\d+/.exec(body.toString("utf8"))?.[0];
      const forwarded = httpRequest(
        { host: targetUrl.hostname, port: targetUrl.port, path: incoming.url, method: incoming.method, headers: incoming.headers },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          let pending = "";
          response.on("data", (chunk: Buffer) => {
            if (marker !== undefined && !firstContentChunkAt.has(marker)) {
              pending += chunk.toString("utf8");
              const events = pending.split("\n\n");
              pending = events.pop() ?? "";
              for (const event of events) {
                if (!event.startsWith("data: {")) continue;
                const parsed = JSON.parse(event.slice(6)) as { choices?: { delta?: { content?: string } }[] };
                if ((parsed.choices?.[0]?.delta?.content ?? "") !== "" && !firstContentChunkAt.has(marker)) firstContentChunkAt.set(marker, wallClock());
              }
            }
            outgoing.write(chunk);
          });
          response.on("end", () => outgoing.end());
        },
      );
      forwarded.on("error", () => outgoing.destroy());
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Notes when each question's first answer text left the core for the surface. */
function timingFirstDelta(firstDeltaAt: Map<string, number>): (mami: Mami) => Mami {
  return (mami) =>
    observeReplies(mami, {
      onFirstPart: (request) => {
        const marker = /question-\d+/.exec(request.text)?.[0];
        if (marker !== undefined && !firstDeltaAt.has(marker)) firstDeltaAt.set(marker, wallClock());
      },
    });
}

interface Measurements {
  readonly fromGroqChunk: number[];
  readonly fromCoreDelta: number[];
  readonly callsPerMessage: number[];
  readonly callMix: Map<string, number>;
}

describe.each([
  { mode: "private chat, drafts", drafts: true },
  { mode: "private chat, send + edit (Bot API without drafts)", drafts: false },
])("Telegram latency: $mode", ({ mode, drafts }) => {
  let groq: FakeGroq;
  let proxy: Server;
  let rig: TelegramEndToEnd;
  const firstContentChunkAt = new Map<string, number>();
  const firstDeltaAt = new Map<string, number>();

  beforeAll(async () => {
    // Quota is not what this measures: limits high enough that every request streams at once.
    // 10 ms between chunks of about 8 characters: a few hundred tokens a second, as Groq streams.
    const models = freeTierModels.map((model) => ({ ...model, requestsPerMinute: 10_000, tokensPerMinute: 10_000_000, chunkDelayMs: 10 }));
    groq = await startFakeGroq({ models, respond: (call) => (call.model.includes("guard") ? "safe" : answerText) });
    const watching = await startChunkWatchingProxy(groq.url, firstContentChunkAt);
    proxy = watching.server;
    rig = await startTelegramEndToEnd({
      harness: { groq, models, env: { GROQ_BASE_URL: watching.url } },
      telegram: { drafts },
      wrapCore: timingFirstDelta(firstDeltaAt),
    });
  });

  afterAll(async () => {
    await rig.close();
    await new Promise((resolve) => proxy.close(resolve));
    await groq.close();
  });

  it(`measures ${samplesPerMode} DMs`, async () => {
    const { telegram } = rig;
    const measurements: Measurements = { fromGroqChunk: [], fromCoreDelta: [], callsPerMessage: [], callMix: new Map() };
    for (let sample = 1; sample <= samplesPerMode; sample += 1) {
      const chatId = freshUserId();
      const marker = `question-${chatId}`;
      telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: `Explain the job queue, please (${marker})` });
      await waitUntil(() => telegram.messagesIn(chatId).some((message) => message.text === answerText), `the answer in ${mode}`, 30_000);
      // The reply is remembered after it is shown; give that call a moment before counting.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const chatCalls = telegram.calls.filter((call) => call.method !== "getUpdates" && Number(call.params["chat_id"]) === chatId);
      const firstVisible = chatCalls.find(
        (call) => (call.method === "sendMessage" || call.method === "sendMessageDraft") && typeof call.params["text"] === "string" && call.params["text"] !== "",
      );
      const chunkAt = firstContentChunkAt.get(marker);
      const deltaAt = firstDeltaAt.get(marker);
      expect(firstVisible).toBeDefined();
      expect(chunkAt).toBeDefined();
      measurements.fromGroqChunk.push(firstVisible!.receivedAt - chunkAt!);
      measurements.fromCoreDelta.push(firstVisible!.receivedAt - deltaAt!);
      measurements.callsPerMessage.push(chatCalls.length);
      for (const call of chatCalls) measurements.callMix.set(call.method, (measurements.callMix.get(call.method) ?? 0) + 1);
    }
    console.log(`\nTelegram, ${mode}:`);
    const latency = reportLatency("  first Groq content chunk -> first visible text", measurements.fromGroqChunk, "ms");
    reportLatency("  first core delta -> first visible text", measurements.fromCoreDelta, "ms");
    reportLatency("  Bot API calls per answered message (no getUpdates)", measurements.callsPerMessage, "calls");
    const mix = [...measurements.callMix.entries()].map(([method, count]) => `${method} ${(count / samplesPerMode).toFixed(1)}`).join(", ");
    console.log(`  per message on average: ${mix}`);
    // A budget, not a target: the first text must not wait for an edit interval or a throttle slot.
    expect(latency.p95).toBeLessThan(500);
  });
});
