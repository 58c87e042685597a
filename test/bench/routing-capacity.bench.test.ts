import { attemptsOf } from "../../src/core/reply.js";
import { answerOf } from "../support/reply-kinds.js";
/**
 * `npm run bench`: how much of the organization's combined free-tier quota Mami actually
 * serves. A burst of mixed requests (chat, code, logic), well above one model's quota, goes
 * through the real core and groq-sdk against a fake Groq that enforces the free-tier limits.
 * Time is virtual, so twenty minutes of traffic run in seconds; the fake and the core share
 * that clock, while each request itself runs for real over HTTP.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Clock } from "../../src/core/ports/clock.js";
import { answerRoles } from "../../src/core/roles.js";
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

/**
 * What the free-tier limits allow over `minutes` for requests of this average size, model by
 * model: the smallest of RPM, TPM (prompt plus completion budget, charged up front), RPD and
 * TPD, summed over models. Fluid: it ignores that a minute cannot hold a fraction of a request,
 * so it is an upper bound no scheduler reaches exactly.
 */
function ceiling(models: readonly FakeModelSpec[], minutes: number, averageChargedTokens: number, averageUsedTokens: number): number {
  return models.reduce(
    (total, model) =>
      total +
      Math.floor(
        Math.min(
          model.requestsPerMinute * minutes,
          (model.tokensPerMinute * minutes) / averageChargedTokens,
          model.requestsPerDay,
          model.tokensPerDay / averageUsedTokens,
        ),
      ),
    0,
  );
}


interface BurstFigures {
  readonly offered: number;
  readonly served: number;
  readonly ceiling: number;
  readonly upstreamCalls: number;
  readonly provider429s: number;
  readonly averageCharged: number;
  readonly answeringModels: number;
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
  const usedTokens: number[] = [];
  const promptTokens: number[] = [];
  const start = clock.now();
  for (let index = 0; index < offered; index += 1) {
    clock.set(start + (index * minuteMs) / perMinute);
    const prompt = prompts[index % prompts.length];
    if (prompt === undefined) continue;
    const harness = harnesses[index % processes];
    if (harness === undefined) continue;
    const reply = await finalReplyOf(harness.mami.reply(chatRequest(prompt.text, { location: { platform: "cli", chatId: `bench-${index}`, kind: "private" } })));
    if (reply.kind === "answer") {
      served += 1;
      usedTokens.push(reply.usage?.totalTokens ?? 0);
      promptTokens.push(reply.usage?.promptTokens ?? 0);
    }
  }
  const chatCalls = groq.calls.filter((call) => call.path.endsWith("/chat/completions"));
  // What Groq charged a request against TPM: its prompt plus the completion budget it was sent with.
  const budgets = chatCalls.filter((call) => call.status === 200).map((call) => Number((call.body as { max_completion_tokens?: number }).max_completion_tokens ?? 0));
  const average = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
  const averageCharged = average(promptTokens) + average(budgets);
  const averageUsed = average(usedTokens);
  // Models that can answer chat, code or logic: the three chains plus widening to every answer chain.
  const answerChainModels = new Set(answerRoles.flatMap((role) => harnesses[0]?.config.chains[role] ?? []));
  const answeringModels = models.filter((model) => model.status !== "decommissioned" && answerChainModels.has(model.id));
  for (const harness of harnesses) await harness.close();
  await groq.close();
  return {
    offered,
    served,
    ceiling: Math.min(offered, ceiling(answeringModels, minutes, averageCharged, averageUsed)),
    upstreamCalls: chatCalls.length,
    provider429s: chatCalls.filter((call) => call.status === 429).length,
    averageCharged,
    answeringModels: answeringModels.length,
  };
}

function onlyModel(model: string): Record<string, string> {
  return { MODELS_CHAT: model, MODELS_LOGIC: model, MODELS_CODE: model, MODELS_VISION: model, MODELS_LONG_CONTEXT: model };
}

async function compareWithSingleModel(scenario: string, models: readonly FakeModelSpec[], singleModel: string, minutes: number, perMinute: number): Promise<void> {
  const mami = await runBurst(models, {}, minutes, perMinute);
  const single = await runBurst(models, onlyModel(singleModel), minutes, perMinute);
  const percent = (part: number, whole: number): string => ((100 * part) / Math.max(1, whole)).toFixed(1);
  process.stdout.write(
    [
      `\n[bench] ${scenario}: ${minutes} virtual minutes, ${perMinute} requests a minute (chat, code, logic mixed)`,
      `  served / offered:          ${mami.served} / ${mami.offered}`,
      `  ceiling the limits allow:  ${mami.ceiling} over ${mami.answeringModels} answering models (served ${percent(mami.served, mami.ceiling)}% of it)`,
      `  a bot tied to ${singleModel}: served ${single.served} (ceiling ${single.ceiling}); Mami serves ${(mami.served / Math.max(1, single.served)).toFixed(2)}x`,
      `  provider 429s:             ${mami.provider429s} of ${mami.upstreamCalls} upstream calls (${percent(mami.provider429s, mami.upstreamCalls)}%)`,
      `  charged a request:         ${mami.averageCharged.toFixed(0)} tokens on average (prompt + completion budget sent)\n`,
    ].join("\n"),
  );
  expect(mami.served).toBeGreaterThan(single.served);
}

describe("capacity of combined quotas", () => {
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

  it("today's live models (late 2026)", async () => {
    await compareWithSingleModel("today's live models (late 2026)", freeTierModels, "openai/gpt-oss-120b", 20, 40);
  });

  it("the design card's models, all live", async () => {
    const allLive = freeTierModels.map((model) => ({ ...model, status: "live" as const }));
    await compareWithSingleModel("design card world (every model of GROQ.md live)", allLive, "llama-3.3-70b-versatile", 20, 60);
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
