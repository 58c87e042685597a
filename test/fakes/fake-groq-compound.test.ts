/**
 * The fake's compound systems as the real groq-sdk reads them, checked against the shapes in
 * Groq's docs and the SDK's own types (docs/groq.md, "Compound systems").
 */
import Groq, { APIError } from "groq-sdk";
import type { ChatCompletionChunk } from "groq-sdk/resources/chat/completions";
import { afterEach, describe, expect, it } from "vitest";
import { freeTierModels, startFakeGroq, type FakeGroq } from "./fake-groq/index.js";

const compoundModels = freeTierModels.filter((model) => model.id.startsWith("groq/compound"));
const running: FakeGroq[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((fake) => fake.close()));
});

async function start(): Promise<Groq> {
  const fake = await startFakeGroq({ models: compoundModels, respond: () => "It rained in Tokyo today." });
  running.push(fake);
  return new Groq({ apiKey: "test-key", baseURL: fake.url, maxRetries: 0, timeout: 2_000 });
}

const question = [{ role: "user" as const, content: "What is the weather in Tokyo today?" }];

describe("the fake's compound systems", () => {
  it("answer a plain call with message.executed_tools: one search for compound-mini, several for compound", async () => {
    const client = await start();
    const mini = await client.chat.completions.create({ model: "groq/compound-mini", messages: question });
    const message = mini.choices[0]!.message;
    expect(message.content).toBe("It rained in Tokyo today.");
    expect(message.reasoning).toMatch(/search/);
    expect(message.executed_tools).toHaveLength(1);
    const search = message.executed_tools![0]!;
    expect(search).toMatchObject({ index: 0, type: "search" });
    expect(JSON.parse(search.arguments)).toEqual({ query: "What is the weather in Tokyo today?" });
    expect(search.search_results?.results?.map((result) => Object.keys(result).sort())).toEqual(Array(3).fill(["content", "score", "title", "url"]));
    expect(search.output).toContain(search.search_results!.results![0]!.url!);
    expect(mini.usage_breakdown?.models[0]?.usage.total_tokens).toBe(mini.usage?.total_tokens);

    const full = await client.chat.completions.create({ model: "groq/compound", messages: question });
    expect(full.choices[0]!.message.executed_tools?.map((tool) => tool.index)).toEqual([0, 1]);
  });

  it("stream each tool in delta.executed_tools when it starts and again once it has run, all before the answer's text", async () => {
    const client = await start();
    const stream = await client.chat.completions.create({ model: "groq/compound-mini", messages: question, stream: true });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const tools = chunks.flatMap((chunk) => chunk.choices[0]?.delta.executed_tools ?? []);
    expect(tools.map((tool) => [tool.index, tool.search_results === undefined ? "started" : "finished"])).toEqual([
      [0, "started"],
      [0, "finished"],
    ]);
    const firstText = chunks.findIndex((chunk) => (chunk.choices[0]?.delta.content ?? "") !== "");
    const lastTool = chunks.findLastIndex((chunk) => chunk.choices[0]?.delta.executed_tools !== undefined);
    expect(lastTool).toBeLessThan(firstText);
    expect(chunks.at(-1)?.x_groq?.usage_breakdown?.models).toHaveLength(1);
  });

  it("refuse custom tools and reasoning parameters", async () => {
    const client = await start();
    const withTools = client.chat.completions.create({
      model: "groq/compound",
      messages: question,
      tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object", properties: {} } } }],
    });
    await expect(withTools).rejects.toMatchObject({ status: 400 });
    const withEffort = client.chat.completions.create({ model: "groq/compound-mini", messages: question, reasoning_effort: "low" });
    await expect(withEffort).rejects.toBeInstanceOf(APIError);
  });
});
