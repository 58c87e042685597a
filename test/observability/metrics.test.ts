import { afterEach, describe, expect, it } from "vitest";
import type { PlatformAdapter } from "../../src/core/platform-adapter.js";
import { finalReplyOf } from "../../src/core/reply.js";
import { createMetrics } from "../../src/observability/metrics.js";
import { mamiMetrics } from "../deploy/contract.js";
import { chatRequest } from "../support/chat-request.js";
import { startMamiHarness, type MamiHarness } from "../support/mami-harness.js";

let harness: MamiHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const connectedTelegram: PlatformAdapter = { platform: "telegram", botName: "mami_test_bot", isConnected: () => true, stop: async () => undefined };

describe("metrics", () => {
  it("registers exactly the metrics the dashboard and alerts are built on, with their types", async () => {
    const metrics = createMetrics();
    const ours = (await metrics.registry.getMetricsAsJSON()).filter((metric) => metric.name.startsWith("mami_"));
    expect(Object.fromEntries(ours.map((metric) => [metric.name, String(metric.type)]))).toEqual(mamiMetrics);
  });

  it("reads each model's quota, the queue and the adapters at every scrape, and counts replies", async () => {
    harness = await startMamiHarness();
    const metrics = createMetrics();
    metrics.watch(harness.mami, () => [connectedTelegram]);
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("hello there, how are you?")));
    metrics.observeReply(reply, 1_200);
    const scraped = await metrics.registry.metrics();
    // The answering model's minute shows what the answer took; a retired model is gone.
    const tokensLeft = Number(/mami_model_tokens_left_minute\{model="openai\/gpt-oss-120b"\} (\d+)/.exec(scraped)?.[1]);
    expect(tokensLeft).toBeGreaterThan(0);
    expect(tokensLeft).toBeLessThan(8_000);
    expect(scraped).toMatch(/mami_model_requests_left_day\{model="openai\/gpt-oss-120b"\} 999/);
    expect(scraped).toMatch(/mami_model_gone\{model="llama-3\.3-70b-versatile"\} 1/);
    expect(scraped).toMatch(/mami_model_gone\{model="openai\/gpt-oss-120b"\} 0/);
    expect(scraped).toMatch(/mami_queue_length 0/);
    expect(scraped).toMatch(/mami_adapter_connected\{platform="telegram"\} 1/);
    expect(scraped).toMatch(/mami_replies_total\{kind="answer",role="chat",model="openai\/gpt-oss-120b"\} 1/);
    expect(scraped).toMatch(/mami_queue_wait_seconds_count 1/);
  });
});
