/**
 * A stream that stalls past its deadline, or is stopped by the caller, must end in an error:
 * groq-sdk ends an aborted stream without one, which would pass a cut answer off as complete.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelCallError } from "../../../src/core/errors.js";
import type { CompletionRequest } from "../../../src/core/ports/model-client.js";
import { createGroqModelClient } from "../../../src/providers/groq/groq-model-client.js";
import { freeTierModels, startFakeGroq, type FakeGroq } from "../../fakes/fake-groq/index.js";

const model = "openai/gpt-oss-20b";
let groq: FakeGroq;

beforeAll(async () => {
  // 300 ms between pieces: longer than the 150 ms the calls below allow between signs of life.
  groq = await startFakeGroq({ models: freeTierModels.map((spec) => ({ ...spec, chunkDelayMs: 300 })), apiKey: "gsk_test" });
  groq.setResponder(() => "A rather long answer that arrives one slow piece at a time.");
});

afterAll(async () => {
  await groq.close();
});

function request(overrides: Partial<CompletionRequest> = {}): CompletionRequest {
  return {
    model,
    messages: [{ role: "user", content: "hello" }],
    maxCompletionTokens: 200,
    reasoningFamily: "gpt-oss",
    reasoningEffort: "low",
    timeoutMs: 150,
    ...overrides,
  };
}

async function readAll(deltas: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const delta of deltas) text += delta;
  return text;
}

describe("Groq streams that stop halfway", () => {
  it("a stall past the deadline is a timeout, not the end of the answer", async () => {
    const client = createGroqModelClient({ apiKey: "gsk_test", baseUrl: groq.url });
    // On a busy machine the deadline can pass before the first piece too: a timeout all the same.
    const error = await client.stream(request()).then(
      (stream) => readAll(stream.deltas).then(() => undefined, (caught: unknown) => caught),
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ModelCallError);
    expect((error as ModelCallError).kind).toBe("timeout");
  });

  it("a stop by the caller is an abort, not the end of the answer", async () => {
    const client = createGroqModelClient({ apiKey: "gsk_test", baseUrl: groq.url });
    const stopping = new AbortController();
    const stream = await client.stream(request({ timeoutMs: 10_000, signal: stopping.signal }));
    const reading = readAll(stream.deltas).then(() => undefined, (caught: unknown) => caught);
    setTimeout(() => stopping.abort(), 100);
    const error = await reading;
    expect(error).toBeInstanceOf(ModelCallError);
    expect((error as ModelCallError).kind).toBe("aborted");
  });
});
