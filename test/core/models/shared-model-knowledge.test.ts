import { afterEach, expect, it } from "vitest";
import { finalReplyOf } from "../../../src/core/reply.js";
import { freeTierModels, startFakeGroq, type FakeGroq } from "../../fakes/fake-groq/index.js";
import { chatRequest } from "../../support/chat-request.js";
import { startMamiHarness, type MamiHarness } from "../../support/mami-harness.js";
import { describeWithRedis } from "../../support/redis-available.js";

const big = "openai/gpt-oss-120b";
const qwen = "qwen/qwen3.6-27b";

const running: (MamiHarness | FakeGroq)[] = [];
afterEach(async () => {
  for (const item of running.splice(0)) await item.close();
});

describeWithRedis("two bot processes sharing one Redis", (redisUrl) => {
  it("skip a model the other process found spent, without paying a 429 each", async () => {
    const groq = await startFakeGroq({ models: freeTierModels, apiKey: "gsk_test_key" });
    running.push(groq);
    const database = new URL(redisUrl);
    database.pathname = "/5";
    const env = { MODELS_CHAT: `${big},${qwen}` };
    const first = await startMamiHarness({ groq, storeUrl: database.toString(), env });
    const second = await startMamiHarness({ groq, storeUrl: database.toString(), env });
    running.push(first, second);
    await first.store.delete("model-state", big);

    groq.inject(big, { kind: "rate_limit", window: "day", retryAfterSeconds: 4 * 3600 });
    const fromFirst = await finalReplyOf(first.core.handle(chatRequest("hello from the first process")));
    expect(fromFirst.model).toBe(qwen);
    const callsToBig = groq.chatCallsTo(big).length;

    const fromSecond = await finalReplyOf(second.core.handle(chatRequest("hello from the second process")));
    expect(fromSecond.model).toBe(qwen);
    expect(groq.chatCallsTo(big)).toHaveLength(callsToBig);
    expect(fromSecond.attempts[0]).toMatchObject({ model: big, outcome: "skipped" });
    expect(fromSecond.attempts[0]?.reason).toMatch(/daily limit/);
    await first.store.delete("model-state", big);
  });
});
