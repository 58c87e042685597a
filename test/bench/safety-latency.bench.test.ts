/**
 * `npm run bench`: what screening the input costs the user in time. The fake models answer with
 * fixed latencies (safety 120 ms, answer 300 ms to the first token); the figure is the median
 * time to the first visible text with SAFETY=input against SAFETY=off.
 */
import { expect, it } from "vitest";
import type { ReplyStream } from "../../src/core/reply.js";
import { freeTierModels } from "../fakes/fake-groq/index.js";
import { chatRequest } from "../support/chat-request.js";
import { median } from "../support/statistics.js";
import { startMamiHarness } from "../support/mami-harness.js";

const safetyLatencyMs = 120;
const answerLatencyMs = 300;
const rounds = 12;

const models = freeTierModels.map((model) => {
  if (model.id === "meta-llama/llama-guard-4-12b") return { ...model, latencyMs: safetyLatencyMs };
  if (model.id === "openai/gpt-oss-120b") return { ...model, latencyMs: answerLatencyMs, requestsPerMinute: 1_000, tokensPerMinute: 1_000_000 };
  return model;
});

async function timeToFirstText(stream: ReplyStream): Promise<number> {
  const startedAt = performance.now();
  let firstText: number | undefined;
  for await (const event of stream) {
    if (event.type === "delta" && firstText === undefined) firstText = performance.now() - startedAt;
  }
  return firstText ?? Number.NaN;
}


it("measures the latency the input screen adds", async () => {
  const figures: Record<string, number> = {};
  for (const safety of ["off", "input"]) {
    const harness = await startMamiHarness({ models, env: { SAFETY: safety, MODELS_CHAT: "openai/gpt-oss-120b" } });
    const times: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const request = chatRequest("what is the tallest mountain in Europe?", { location: { platform: "cli", chatId: `safety-${safety}-${round}`, kind: "private" } });
      times.push(await timeToFirstText(harness.mami.reply(request)));
    }
    figures[safety] = median(times);
    await harness.close();
  }
  const added = (figures.input ?? 0) - (figures.off ?? 0);
  process.stdout.write(
    `\n[bench] safety screen: first text after ${figures.off?.toFixed(0)} ms unscreened, ${figures.input?.toFixed(0)} ms screened (safety model ${safetyLatencyMs} ms, answer model ${answerLatencyMs} ms): screening adds ${added.toFixed(0)} ms, one short call\n`,
  );
  expect(added).toBeGreaterThan(0);
});
