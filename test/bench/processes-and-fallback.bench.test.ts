/**
 * `npm run bench`: two processes of one organization sharing Groq's quota (through Redis, when
 * the bench has one), and the latency a fallback adds. Twenty minutes of sequential traffic run
 * in virtual time: the fake and the cores share that clock, while each request runs for real
 * over HTTP. The capacity of the combined quotas against an oracle ceiling is
 * capacity.bench.test.ts.
 */
import { attemptsOf } from "../../src/core/reply.js";
import { answerOf } from "../support/reply-kinds.js";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Clock } from "../../src/core/ports/clock.js";
import { finalReplyOf } from "../../src/core/reply.js";
import { freeTierModels, startFakeGroq, type FakeModelSpec } from "../fakes/fake-groq/index.js";
import { chatRequest } from "../support/chat-request.js";
import { median } from "../support/statistics.js";
import { startMamiHarness } from "../support/mami-harness.js";
import { ShiftedClock } from "../support/shifted-clock.js";

interface LabelledPrompt {
  readonly text: string;
  readonly role: "chat" | "logic" | "code";
}

class VirtualClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  set(time: number): void {
    this.current = Math.max(this.current, time);
  }
  /** Waiting for quota moves virtual time forward instead of sleeping. */
  sleep(milliseconds: number): Promise<void> {
    this.current += milliseconds;
    return Promise.resolve();
  }
}

const prompts = JSON.parse(readFileSync(new URL("../data/routing-prompts.json", import.meta.url), "utf8")) as LabelledPrompt[];
const minuteMs = 60_000;

interface BurstFigures {
  readonly offered: number;
  readonly served: number;
  readonly upstreamCalls: number;
  readonly provider429s: number;
}

/**
 * Offers the burst to `processes` bot processes of one organization in turn (each its own core,
 * all against the same fake Groq), the way several processes would share Groq's quota.
 */
async function runBurst(
  models: readonly FakeModelSpec[],
  env: Record<string, string>,
  minutes: number,
  perMinute: number,
  processes = 1,
  storeUrl?: string,
): Promise<BurstFigures> {
  const clock = new VirtualClock(Date.UTC(2026, 10, 26, 12));
  const groq = await startFakeGroq({ models, apiKey: "gsk_test_key", now: () => clock.now() });
  const harnesses = await Promise.all(
    Array.from({ length: processes }, () =>
      startMamiHarness({
        groq,
        clock,
        ...(storeUrl === undefined ? {} : { storeUrl }),
        env: { MAX_QUEUE_WAIT_SECONDS: "0", HISTORY_MAX_TURNS: "0", SAFETY: "off", ROUTER_MODE: "heuristic", ...env },
      }),
    ),
  );
  const offered = minutes * perMinute;
  let served = 0;
  const start = clock.now();
  for (let index = 0; index < offered; index += 1) {
    clock.set(start + (index * minuteMs) / perMinute);
    const prompt = prompts[index % prompts.length];
    if (prompt === undefined) continue;
    const harness = harnesses[index % processes];
    if (harness === undefined) continue;
    const reply = await finalReplyOf(harness.mami.reply(chatRequest(prompt.text, { location: { platform: "cli", chatId: `bench-${index}`, kind: "private" } })));
    if (reply.kind === "answer") served += 1;
  }
  const chatCalls = groq.calls.filter((call) => call.path.endsWith("/chat/completions"));
  for (const harness of harnesses) await harness.close();
  await groq.close();
  return { offered, served, upstreamCalls: chatCalls.length, provider429s: chatCalls.filter((call) => call.status === 429).length };
}

describe("processes sharing one organization", () => {
  it("two bot processes sharing one organization's quota", async () => {
    // They share what they learn through Redis when the bench has one (MAMI_TEST_REDIS_URL);
    // otherwise each learns only from its own responses.
    const redisUrl = process.env.MAMI_TEST_REDIS_URL;
    const single = await runBurst(freeTierModels, {}, 20, 40);
    const alone = await runBurst(freeTierModels, {}, 20, 40, 2);
    const shared = redisUrl === undefined ? undefined : await runBurst(freeTierModels, {}, 20, 40, 2, redisUrl);
    const line = (label: string, figures: BurstFigures): string =>
      `  ${label}: served ${figures.served} / ${figures.offered}, provider 429s ${figures.provider429s} of ${figures.upstreamCalls} upstream calls (${((100 * figures.provider429s) / Math.max(1, figures.upstreamCalls)).toFixed(1)}%)`;
    process.stdout.write(
      [
        `\n[bench] two processes, requests alternating between them, today's live models, 20 virtual minutes at 40 a minute`,
        line("one process (reference)       ", single),
        line("two processes, nothing shared ", alone),
        shared === undefined ? "  two processes sharing Redis:  not run (set MAMI_TEST_REDIS_URL)" : line("two processes sharing Redis   ", shared),
        "",
      ].join("\n"),
    );
    expect(alone.served).toBeGreaterThan(0);
  });

});

describe("latency a fallback adds", () => {
  it("measures the time from a refused model to the next model's answer", async () => {
    const first = "openai/gpt-oss-120b";
    const second = "qwen/qwen3.6-27b";
    const clock = new ShiftedClock();
    const models = freeTierModels.map((model) => (model.id === second ? { ...model, latencyMs: 150 } : model));
    const harness = await startMamiHarness({ models, clock, env: { MODELS_CHAT: `${first},${second}`, MAX_QUEUE_WAIT_SECONDS: "0" } });
    const direct: number[] = [];
    const withFallback: number[] = [];
    for (let round = 0; round < 15; round += 1) {
      // The second model's own time: a conversation pinned to it.
      const pinned = chatRequest("hello, how are you?", { location: { platform: "cli", chatId: `direct-${round}`, kind: "private" } });
      await harness.mami.setPin(pinned, { model: second });
      let startedAt = performance.now();
      await finalReplyOf(harness.mami.reply(pinned));
      direct.push(performance.now() - startedAt);

      // The same request when the first model answers 429 and Mami moves on.
      harness.groq.inject(first, { kind: "rate_limit", window: "minute", retryAfterSeconds: 1 });
      startedAt = performance.now();
      const reply = await finalReplyOf(harness.mami.reply(chatRequest("hello, how are you?", { location: { platform: "cli", chatId: `fallback-${round}`, kind: "private" } })));
      withFallback.push(performance.now() - startedAt);
      expect(answerOf(reply).model).toBe(second);
      expect(attemptsOf(reply)[0]?.outcome).toBe("rate_limited");
      // Past every minute window, so both models start each round with their quota back.
      clock.advance(61_000);
    }
    const added = median(withFallback) - median(direct);
    process.stdout.write(
      `\n[bench] fallback latency: second model alone ${median(direct).toFixed(1)} ms (median of 15), after a 429 from the first ${median(withFallback).toFixed(1)} ms; a fallback adds ${added.toFixed(1)} ms\n`,
    );
    await harness.close();
  });
});
