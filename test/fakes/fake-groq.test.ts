import Groq, { APIError, toFile } from "groq-sdk";
import { afterEach, describe, expect, it } from "vitest";
import { countPromptTokens, formatGoDuration, freeTierModels, startFakeGroq } from "./fake-groq/index.js";
import type { FakeGroq, FakeGroqOptions, FakeModelSpec } from "./fake-groq/index.js";

const smallModel: FakeModelSpec = {
  id: "test/small",
  requestsPerMinute: 30,
  requestsPerDay: 1_000,
  tokensPerMinute: 1_000,
  tokensPerDay: 100_000,
  contextWindow: 8_192,
  maxOutputTokens: 4_096,
};
const qwenModel = freeTierModels.find((model) => model.id === "qwen/qwen3.6-27b")!;
const gptOssModel = freeTierModels.find((model) => model.id === "openai/gpt-oss-20b")!;
const retiredModel = freeTierModels.find((model) => model.id === "llama-3.3-70b-versatile")!;
const whisperModel = freeTierModels.find((model) => model.id === "whisper-large-v3-turbo")!;

const running: FakeGroq[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((fake) => fake.close()));
});

async function start(options: Partial<FakeGroqOptions> = {}): Promise<{ fake: FakeGroq; client: Groq }> {
  const fake = await startFakeGroq({ models: [smallModel, qwenModel, gptOssModel, retiredModel, whisperModel], ...options });
  running.push(fake);
  return { fake, client: new Groq({ apiKey: "test-key", baseURL: fake.url, maxRetries: 0, timeout: 2_000 }) };
}

function ask(text: string, maxCompletionTokens = 100) {
  return { model: smallModel.id, messages: [{ role: "user" as const, content: text }], max_completion_tokens: maxCompletionTokens };
}

/** Runs a call that must fail and returns the SDK's error. */
async function failureOf(promise: Promise<unknown>): Promise<APIError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof APIError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("formatGoDuration", () => {
  it.each([
    [0, "0s"],
    [120, "120ms"],
    [1_000, "1s"],
    [1_500, "1.5s"],
    [7_660, "7.66s"],
    [60_000, "1m0s"],
    [179_560, "2m59.56s"],
    [578_016, "9m38.016s"],
    [3_723_000, "1h2m3s"],
    [3_600_000, "1h0m0s"],
    [0.4, "1ms"],
  ])("%d ms is %s", (milliseconds, expected) => {
    expect(formatGoDuration(milliseconds)).toBe(expected);
  });
});

describe("countPromptTokens", () => {
  it("charges a quarter token per character, 4 per message and 800 per image", () => {
    const messages = [
      { role: "system", content: "12345678" },
      {
        role: "user",
        content: [
          { type: "text", text: "abcd" },
          { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
        ],
      },
    ];
    expect(countPromptTokens(messages)).toBe(Math.ceil(12 / 4) + 2 * 4 + 800);
  });
});

describe("fake Groq chat completions", () => {
  it("answers a non-streamed call with usage and the rate-limit headers", async () => {
    const { fake, client } = await start();
    const { data, response } = await client.chat.completions.create(ask("hello there")).withResponse();

    expect(data.choices[0]?.message.content).toBe("Answer from test/small to: hello there");
    const promptTokens = countPromptTokens([{ role: "user", content: "hello there" }]);
    expect(data.usage?.prompt_tokens).toBe(promptTokens);
    expect(response.headers.get("x-ratelimit-limit-requests")).toBe("1000");
    expect(response.headers.get("x-ratelimit-remaining-requests")).toBe("999");
    expect(response.headers.get("x-ratelimit-limit-tokens")).toBe("1000");
    expect(response.headers.get("x-ratelimit-remaining-tokens")).toBe(String(1_000 - promptTokens - 100));
    expect(response.headers.get("x-ratelimit-reset-tokens")).toMatch(/^(59\.\d+s|1m0s|60s)$/);
    expect(fake.chatCallsTo(smallModel.id)).toMatchObject([{ status: 200, stream: false, model: smallModel.id }]);
    expect(fake.usage(smallModel.id)).toEqual({
      requestsLastMinute: 1,
      tokensLastMinute: promptTokens + 100,
      requestsToday: 1,
      tokensToday: promptTokens + (data.usage?.completion_tokens ?? 0),
    });
  });

  it("streams chunks with the usage in the last chunk's x_groq and headers on the response", async () => {
    const { client } = await start();
    const { data: stream, response } = await client.chat.completions.create({ ...ask("stream please"), stream: true }).withResponse();
    expect(response.headers.get("x-ratelimit-remaining-requests")).toBe("999");

    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe("Answer from test/small to: stream please");
    expect(chunks.length).toBeGreaterThan(4);
    const last = chunks.at(-1)!;
    expect(last.choices[0]?.finish_reason).toBe("stop");
    expect(last.x_groq?.usage?.prompt_tokens).toBe(countPromptTokens([{ role: "user", content: "stream please" }]));
    expect(last.x_groq?.usage?.completion_tokens).toBe(Math.ceil(text.length / 4));
  });

  it("refuses with a TPM 429 when the minute's tokens are spent, and recovers after the window", async () => {
    let now = 1_000_000;
    const { fake, client } = await start({ now: () => now });
    await client.chat.completions.create(ask("one", 400));
    now += 10_000;
    await client.chat.completions.create(ask("two", 400));
    now += 5_000;

    const error = await failureOf(client.chat.completions.create(ask("three", 400)));
    expect(error).toBeInstanceOf(Groq.RateLimitError);
    expect(error.status).toBe(429);
    // Each earlier call was charged 405 (5 prompt + 400 budget); freeing the oldest, 45 s from now, makes room for 406.
    expect(error.headers?.get("retry-after")).toBe("45");
    expect(error.headers?.get("x-ratelimit-remaining-tokens")).toBe(String(1_000 - 2 * 405));
    expect(error.headers?.get("x-ratelimit-reset-tokens")).toBe("55s");
    expect(error.error).toEqual({
      error: {
        message:
          "Rate limit reached for model `test/small` in organization `org_fake` service tier `on_demand` on tokens per minute (TPM): Limit 1000, Used 810, Requested 406. Please try again in 45s. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing",
        type: "tokens",
        code: "rate_limit_exceeded",
      },
    });
    expect(fake.usage(smallModel.id).requestsLastMinute).toBe(2);

    now += 45_000;
    const recovered = await client.chat.completions.create(ask("three", 400));
    expect(recovered.choices[0]?.message.content).toContain("three");
  });

  it("names requests per day (RPD) with the real, long wait once the day's requests are spent", async () => {
    let now = 0;
    const { client } = await start({ now: () => now, models: [{ ...smallModel, requestsPerDay: 2 }] });
    await client.chat.completions.create(ask("a"));
    now += 120_000;
    await client.chat.completions.create(ask("b"));
    now += 120_000;

    const error = await failureOf(client.chat.completions.create(ask("c")));
    expect(error).toBeInstanceOf(Groq.RateLimitError);
    const body = error.error as { error: { message: string; type: string } };
    expect(body.error.type).toBe("requests");
    expect(body.error.message).toContain("on requests per day (RPD): Limit 2, Used 2, Requested 1. Please try again in 23h56m0s.");
    expect(error.headers?.get("retry-after")).toBe(String(24 * 3600 - 240));
    expect(error.headers?.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(error.headers?.get("x-ratelimit-reset-requests")).toBe("23h56m0s");
  });

  it("answers 413 for a request larger than the model's whole TPM, and charges nothing", async () => {
    const { fake, client } = await start();
    const error = await failureOf(client.chat.completions.create(ask("too much", 2_000)));
    expect(error.status).toBe(413);
    expect(error.constructor).toBe(Groq.APIError);
    const body = error.error as { error: { message: string; code: string } };
    expect(body.error.code).toBe("rate_limit_exceeded");
    expect(body.error.message).toContain("Request too large for model `test/small` in organization `org_fake` service tier `on_demand` on tokens per minute (TPM): Limit 1000, Requested 2006, please reduce your message size");
    expect(fake.usage(smallModel.id).requestsToday).toBe(0);
  });

  it("answers model_decommissioned and model_not_found like Groq", async () => {
    const { fake, client } = await start();
    const retired = await failureOf(client.chat.completions.create({ ...ask("hi"), model: retiredModel.id }));
    expect(retired).toBeInstanceOf(Groq.BadRequestError);
    expect(retired.error).toMatchObject({ error: { code: "model_decommissioned", type: "invalid_request_error" } });
    expect(retired.headers?.get("x-ratelimit-limit-requests")).toBe("1000");

    fake.setModelStatus(smallModel.id, "not_found");
    const missing = await failureOf(client.chat.completions.create(ask("hi")));
    expect(missing).toBeInstanceOf(Groq.NotFoundError);
    expect(missing.error).toMatchObject({ error: { code: "model_not_found", message: "The model `test/small` does not exist or you do not have access to it." } });

    const unknown = await failureOf(client.chat.completions.create({ ...ask("hi"), model: "nobody/knows" }));
    expect(unknown).toBeInstanceOf(Groq.NotFoundError);
  });

  it("refuses images for a text-only model and a prompt beyond the context window", async () => {
    const { client } = await start({ models: [{ ...smallModel, contextWindow: 10, tokensPerMinute: 100_000 }] });
    const image = await failureOf(
      client.chat.completions.create({
        model: smallModel.id,
        messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } }] }],
      }),
    );
    expect(image).toBeInstanceOf(Groq.BadRequestError);
    expect(image.error).toMatchObject({ error: { message: "messages[0].content must be a string", type: "invalid_request_error" } });

    const long = await failureOf(client.chat.completions.create(ask("x".repeat(100))));
    expect(long).toBeInstanceOf(Groq.BadRequestError);
    expect(long.error).toMatchObject({ error: { code: "context_length_exceeded" } });
  });

  it("checks the bearer key when one is configured", async () => {
    const { client } = await start({ apiKey: "the-right-key" });
    const error = await failureOf(client.chat.completions.create(ask("hi")));
    expect(error).toBeInstanceOf(Groq.AuthenticationError);
    expect(error.error).toEqual({ error: { message: "Invalid API Key", type: "invalid_request_error", code: "invalid_api_key" } });
  });
});

describe("fake Groq model list", () => {
  it("lists only live models, with their context window", async () => {
    const { fake, client } = await start();
    fake.setModelStatus(gptOssModel.id, "decommissioned");
    const list = await client.models.list();
    const listed = list.data as unknown as { id: string; context_window: number; active: boolean }[];
    expect(listed.map((model) => model.id).sort()).toEqual([qwenModel.id, smallModel.id, whisperModel.id].sort());
    expect(listed.find((model) => model.id === qwenModel.id)).toMatchObject({ context_window: 131_072, active: true });
  });

  it("answers 500 when told to fail", async () => {
    const { client } = await start({ listModelsFails: true });
    expect(await failureOf(client.models.list())).toBeInstanceOf(Groq.InternalServerError);
  });
});

describe("fake Groq reasoning families", () => {
  it("qwen's raw format streams <think> at the start of the content, split across chunks", async () => {
    const { client } = await start();
    const stream = await client.chat.completions.create({ model: qwenModel.id, messages: [{ role: "user", content: "why?" }], max_completion_tokens: 500, stream: true });
    const pieces: string[] = [];
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta.content;
      if (content) pieces.push(content);
    }
    expect(pieces[0]).toBe("<thi");
    expect(pieces[1]?.startsWith("nk>")).toBe(true);
    const content = pieces.join("");
    expect(content).toMatch(/^<think>\n[^<]+\n<\/think>\n\nAnswer from qwen\/qwen3\.6-27b to: why\?$/);
  });

  it("qwen's parsed format puts the reasoning in message.reasoning and refuses reasoning_effort low", async () => {
    const { client } = await start();
    const parsed = await client.chat.completions.create({ model: qwenModel.id, messages: [{ role: "user", content: "why?" }], max_completion_tokens: 500, reasoning_format: "parsed" });
    expect(parsed.choices[0]?.message.content).toBe("Answer from qwen/qwen3.6-27b to: why?");
    expect(parsed.choices[0]?.message.reasoning).toContain("why?");

    const error = await failureOf(client.chat.completions.create({ model: qwenModel.id, messages: [{ role: "user", content: "why?" }], reasoning_effort: "low" }));
    expect(error).toBeInstanceOf(Groq.BadRequestError);
  });

  it("gpt-oss streams reasoning in delta.reasoning, never in the content, and refuses bad parameters", async () => {
    const { client } = await start();
    const stream = await client.chat.completions.create({ model: gptOssModel.id, messages: [{ role: "user", content: "plan it" }], max_completion_tokens: 500, stream: true });
    let reasoning = "";
    let content = "";
    for await (const chunk of stream) {
      reasoning += chunk.choices[0]?.delta.reasoning ?? "";
      content += chunk.choices[0]?.delta.content ?? "";
    }
    expect(reasoning).toContain("plan it");
    expect(content).toBe("Answer from openai/gpt-oss-20b to: plan it");

    const effortNone = await failureOf(client.chat.completions.create({ model: gptOssModel.id, messages: [{ role: "user", content: "hi" }], reasoning_effort: "none" }));
    expect(effortNone).toBeInstanceOf(Groq.BadRequestError);
    expect(effortNone.error).toMatchObject({ error: { type: "invalid_request_error", param: "reasoning_effort" } });

    const both = await failureOf(
      client.chat.completions.create({ model: gptOssModel.id, messages: [{ role: "user", content: "hi" }], include_reasoning: false, reasoning_format: "hidden" }),
    );
    expect(both).toBeInstanceOf(Groq.BadRequestError);

    const hidden = await client.chat.completions.create({ model: gptOssModel.id, messages: [{ role: "user", content: "hi" }], max_completion_tokens: 200, include_reasoning: false });
    expect(hidden.choices[0]?.message.reasoning).toBeUndefined();
    expect(hidden.usage?.completion_tokens).toBeGreaterThan(Math.ceil((hidden.choices[0]?.message.content ?? "").length / 4));
  });

  it("charges min(max output, 8192) when no budget is named, which alone exceeds an 8K TPM", async () => {
    const { client } = await start();
    const error = await failureOf(client.chat.completions.create({ model: gptOssModel.id, messages: [{ role: "user", content: "hi" }] }));
    expect(error.status).toBe(413);
    expect((error.error as { error: { message: string } }).error.message).toContain("Limit 8000, Requested 8197");
  });

  it("refuses reasoning parameters for a model without reasoning", async () => {
    const { client } = await start();
    const error = await failureOf(client.chat.completions.create({ ...ask("hi"), reasoning_format: "parsed" }));
    expect(error).toBeInstanceOf(Groq.BadRequestError);
  });
});

describe("fake Groq injected failures", () => {
  it("answers an injected 503 as many times as asked, then recovers", async () => {
    const { fake, client } = await start();
    fake.inject(smallModel.id, { kind: "status", status: 503, times: 2 });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const error = await failureOf(client.chat.completions.create(ask("hi")));
      expect(error).toBeInstanceOf(Groq.InternalServerError);
      expect(error.error).toEqual({ error: { message: "Service Unavailable", type: "internal_server_error" } });
    }
    await client.chat.completions.create(ask("hi"));
    expect(fake.chatCallsTo(smallModel.id).map((call) => [call.status, call.injected])).toEqual([
      [503, "status"],
      [503, "status"],
      [200, undefined],
    ]);
    expect(fake.usage(smallModel.id).requestsToday).toBe(1);
  });

  it("answers an injected rate limit with its retry-after regardless of the counters", async () => {
    const { fake, client } = await start();
    fake.inject(smallModel.id, { kind: "rate_limit", window: "day", retryAfterSeconds: 578.016 });
    const error = await failureOf(client.chat.completions.create(ask("hi")));
    expect(error).toBeInstanceOf(Groq.RateLimitError);
    expect(error.headers?.get("retry-after")).toBe("579");
    expect((error.error as { error: { message: string } }).error.message).toContain("tokens per day (TPD)");
    expect((error.error as { error: { message: string } }).error.message).toContain("Please try again in 9m38.016s.");
  });

  it("drop_stream breaks the SDK's stream iteration after some content", async () => {
    const { fake, client } = await start();
    fake.inject(smallModel.id, { kind: "drop_stream", afterChunks: 2 });
    const stream = await client.chat.completions.create({ ...ask("a long enough question"), stream: true });
    let received = "";
    await expect(
      (async () => {
        for await (const chunk of stream) received += chunk.choices[0]?.delta.content ?? "";
      })(),
    ).rejects.toThrow();
    expect(received).toBe("Answer from t");
    expect(fake.chatCallsTo(smallModel.id)[0]).toMatchObject({ status: 200, stream: true, injected: "drop_stream" });
  });

  it("hang leaves the client to time out, and close() still returns promptly", async () => {
    const { fake } = await start();
    const impatient = new Groq({ apiKey: "test-key", baseURL: fake.url, maxRetries: 0, timeout: 200 });
    fake.inject(smallModel.id, { kind: "hang" });
    const error = await failureOf(impatient.chat.completions.create(ask("hi")));
    expect(error).toBeInstanceOf(Groq.APIConnectionTimeoutError);
    fake.inject(smallModel.id, { kind: "hang" });
    const pending = impatient.chat.completions.create(ask("hi"), { timeout: 10_000 }).catch((cause: unknown) => cause);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await fake.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await pending).toBeInstanceOf(Groq.APIConnectionError);
  });

  it("charges a call when it admits it, admissionDelayMs after it arrives", async () => {
    let now = 1_000_000;
    const { fake, client } = await start({ now: () => now, models: [{ ...smallModel, admissionDelayMs: 300 }] });
    const answered = client.chat.completions.create(ask("one"));
    // The request has reached the fake and waits to be admitted: its minute starts 800 ms later.
    await new Promise((resolve) => setTimeout(resolve, 100));
    now += 800;
    await answered;
    now += 59_900;
    expect(fake.usage(smallModel.id).requestsLastMinute).toBe(1);
    now += 200;
    expect(fake.usage(smallModel.id).requestsLastMinute).toBe(0);
  });

  it("honours latencyMs before the headers", async () => {
    const { client } = await start({ models: [{ ...smallModel, latencyMs: 150 }] });
    const started = Date.now();
    await client.chat.completions.create(ask("hi"));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe("fake Groq transcriptions", () => {
  it("transcribes a multipart upload with the same quota headers", async () => {
    const { fake, client } = await start({ transcribe: (audio, fileName) => `${fileName} has ${audio.byteLength} bytes` });
    const { data, response } = await client.audio.transcriptions
      .create({ file: await toFile(Buffer.from("OggS fake audio"), "voice.ogg"), model: whisperModel.id })
      .withResponse();
    expect(data.text).toBe("voice.ogg has 15 bytes");
    expect(response.headers.get("x-ratelimit-limit-requests")).toBe("2000");
    expect(response.headers.get("x-ratelimit-remaining-requests")).toBe("1999");
    expect(fake.calls.at(-1)).toMatchObject({ path: "/openai/v1/audio/transcriptions", model: whisperModel.id, status: 200, body: { file: { name: "voice.ogg", size: 15 } } });
  });
});
