import type { ExecutedTool, FinishReason, ModelClient, TokenUsage } from "../ports/model-client.js";
import type { SelectedModel, SendEvent } from "./model-call.js";
import { ThinkStripper } from "./think-stripper.js";

export interface StreamedChat {
  /** The visible text, reasoning stripped. */
  readonly text: string;
  readonly usage: TokenUsage | undefined;
  readonly finishReason: FinishReason | undefined;
  /** What a compound system ran on the provider's side (its web searches); empty for an ordinary model. */
  readonly executedTools: readonly ExecutedTool[];
}

/**
 * One streamed chat completion on the selected model: its rate-limit headers first, then the
 * visible text as it comes, with any `<think>` reasoning removed (a chat user never sees it).
 */
export async function* streamChat(
  client: ModelClient,
  selected: SelectedModel,
  options: {
    readonly reasoningEffort: "low" | "default";
    readonly timeoutMs: number;
    readonly signal: AbortSignal | undefined;
    /** The call continues an answer already shown: its leading white space separates two words. */
    readonly continuing?: boolean;
  },
): AsyncGenerator<SendEvent, StreamedChat> {
  const stream = await client.stream({
    model: selected.model,
    messages: selected.plan.messages,
    maxCompletionTokens: selected.plan.completionBudget,
    reasoningFamily: selected.profile.reasoningFamily,
    reasoningEffort: options.reasoningEffort,
    timeoutMs: options.timeoutMs,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  yield { kind: "headers", rateLimits: stream.rateLimits };
  const stripper = new ThinkStripper({ continuing: options.continuing === true });
  let text = "";
  for await (const delta of stream.deltas) {
    const visible = stripper.push(delta);
    if (visible !== "") {
      text += visible;
      yield { kind: "text", text: visible };
    }
  }
  const rest = stripper.end();
  if (rest !== "") {
    text += rest;
    yield { kind: "text", text: rest };
  }
  return { text, usage: stream.usage(), finishReason: stream.finishReason(), executedTools: stream.executedTools?.() ?? [] };
}
