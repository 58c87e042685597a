/** Server-sent events for stream: true, shaped like Groq's: role chunk, reasoning/content chunks, a final chunk with x_groq.usage, [DONE]. */
import type { ServerResponse } from "node:http";
import type { CompoundRun } from "./compound.js";
import { chunkBody, splitIntoStreamPieces, usageBody, usageBreakdown, type ComposedAnswer, type CompletionIdentity } from "./responses.js";

export interface StreamPlan {
  identity: CompletionIdentity;
  answer: ComposedAnswer;
  promptTokens: number;
  cachedTokens: number;
  headers: Record<string, string>;
  /** A compound system's reasoning and tools, streamed before the answer's text. */
  compound: CompoundRun | undefined;
  chunkDelayMilliseconds: number;
  /** OpenAI's stream_options.include_usage, which Groq honours with a top-level usage on the last chunk. */
  includeTopLevelUsage: boolean;
  /** Injected drop_stream: destroy the socket after this many reasoning/content chunks. */
  dropAfterChunks: number | undefined;
  sleep: (milliseconds: number) => Promise<void>;
  /** True once the client went away or the server is closing: stop writing. */
  isStopped: () => boolean;
}

export async function streamCompletion(response: ServerResponse, plan: StreamPlan): Promise<void> {
  const { identity, answer } = plan;
  response.writeHead(200, { ...plan.headers, "content-type": "text/event-stream", "cache-control": "no-cache" });
  await writeEvent(response, chunkBody(identity, { role: "assistant", content: "" }, null, { x_groq: { id: identity.requestId } }));

  const compound = plan.compound;
  const deltas = [
    ...(compound === undefined ? [] : compoundDeltas(compound)),
    ...splitIntoStreamPieces(answer.reasoningField ?? "").map((piece) => ({ reasoning: piece })),
    ...splitIntoStreamPieces(answer.content).map((piece) => ({ content: piece })),
  ];
  for (const [index, delta] of deltas.entries()) {
    if (plan.dropAfterChunks !== undefined && index >= plan.dropAfterChunks) return dropConnection(response);
    await plan.sleep(plan.chunkDelayMilliseconds);
    if (plan.isStopped()) return;
    await writeEvent(response, chunkBody(identity, delta, null));
  }
  if (plan.dropAfterChunks !== undefined) return dropConnection(response);

  const usage = usageBody(plan.promptTokens, answer.completionTokens, plan.cachedTokens);
  await plan.sleep(plan.chunkDelayMilliseconds);
  if (plan.isStopped()) return;
  const breakdown = compound === undefined ? {} : { usage_breakdown: usageBreakdown(compound, usage) };
  await writeEvent(response, chunkBody(identity, {}, answer.finishReason, { x_groq: { id: identity.requestId, usage, ...breakdown }, ...(plan.includeTopLevelUsage ? { usage } : {}) }));
  response.end("data: [DONE]\n\n");
}

/** Resolves once the event is handed to the socket, so that a following destroy cannot swallow it. */
function writeEvent(response: ServerResponse, chunk: unknown): Promise<void> {
  if (response.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    response.write(`data: ${JSON.stringify(chunk)}\n\n`, () => resolve());
  });
}

function dropConnection(response: ServerResponse): void {
  response.socket?.destroy();
}

/** Its reasoning, then each tool as it starts and again once it has run: all before the answer. */
function compoundDeltas(compound: CompoundRun): Record<string, unknown>[] {
  const tools = compound.startedTools.flatMap((started, index) => [started, compound.finishedTools[index]].filter((tool) => tool !== undefined));
  return [{ reasoning: compound.reasoning }, ...tools.map((tool) => ({ executed_tools: [tool] }))];
}
