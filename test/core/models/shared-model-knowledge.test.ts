import { attemptsOf } from "../../../src/core/reply.js";
import { answerOf } from "../../support/reply-kinds.js";
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
    const fromFirst = await finalReplyOf(first.mami.reply(chatRequest("hello from the first process")));
    expect(answerOf(fromFirst).model).toBe(qwen);
    const callsToBig = groq.chatCallsTo(big).length;

    const fromSecond = await finalReplyOf(second.mami.reply(chatRequest("hello from the second process")));
    expect(answerOf(fromSecond).model).toBe(qwen);
    expect(groq.chatCallsTo(big)).toHaveLength(callsToBig);
    expect(attemptsOf(fromSecond)[0]).toMatchObject({ model: big, outcome: "skipped" });
    expect(attemptsOf(fromSecond)[0]?.reason).toMatch(/daily limit/);
    await first.store.delete("model-state", big);
  });

  it("count each other's use of a model from the headers the other process saw", async () => {
    // Room for one request a minute (a short answer costs the fake about 500 tokens): whoever
    // sends second must go elsewhere.
    const models = freeTierModels.map((model) => (model.id === big ? { ...model, tokensPerMinute: 700 } : model));
    const groq = await startFakeGroq({ models, apiKey: "gsk_test_key" });
    running.push(groq);
    const database = new URL(redisUrl);
    database.pathname = "/6";
    const env = { MODELS_CHAT: `${big},${qwen}` };
    const first = await startMamiHarness({ groq, storeUrl: database.toString(), env });
    const second = await startMamiHarness({ groq, storeUrl: database.toString(), env });
    running.push(first, second);
    await first.store.delete("model-state", `${big}#headers`);

    expect(answerOf((await finalReplyOf(first.mami.reply(chatRequest("hello from the first process"))))).model).toBe(big);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const fromSecond = await finalReplyOf(second.mami.reply(chatRequest("hello from the second process")));
    expect(answerOf(fromSecond).model).toBe(qwen);
    expect(groq.chatCallsTo(big)).toHaveLength(1);
    expect(attemptsOf(fromSecond)[0]).toMatchObject({ model: big, outcome: "skipped" });
    expect(attemptsOf(fromSecond)[0]?.reason).toMatch(/TPM spent/);
  });
});
