import Groq, { toFile } from "groq-sdk";
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
} from "groq-sdk/resources/chat/completions";
import type {
  CompletionRequest,
  FinishReason,
  LiveModel,
  ModelClient,
  ModelMessage,
  ReasoningFamily,
  StreamedCompletion,
  TokenUsage,
  Transcription,
  TranscriptionRequest,
} from "../../core/ports/model-client.js";
import { toModelCallError } from "./error-mapping.js";
import { ExecutedToolCollector } from "./executed-tools.js";
import { readRateLimitHeaders } from "./rate-limit-headers.js";

export interface GroqModelClientOptions {
  readonly apiKey: string;
  readonly baseUrl: string;
}

function toGroqMessages(messages: readonly ModelMessage[]): ChatCompletionMessageParam[] {
  return messages.map((message): ChatCompletionMessageParam => {
    if (typeof message.content === "string" || message.role !== "user") {
      const text =
        typeof message.content === "string"
          ? message.content
          : message.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
      return { role: message.role, content: text };
    }
    return {
      role: "user",
      content: message.content.map((part) =>
        part.type === "text" ? { type: "text" as const, text: part.text } : { type: "image_url" as const, image_url: { url: part.dataUrl } },
      ),
    };
  });
}

/** Each reasoning family has its own switches to keep reasoning out of the answer (GROQ.md). */
function reasoningParameters(family: ReasoningFamily, effort: "low" | "default"): Partial<ChatCompletionCreateParamsStreaming> {
  switch (family) {
    case "qwen":
      return { reasoning_format: "hidden", reasoning_effort: effort === "low" ? "none" : "default" };
    case "gpt-oss":
      return { include_reasoning: false, reasoning_effort: effort === "low" ? "low" : "medium" };
    case "none":
      return {};
  }
}

interface RawUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
}

function usageOf(raw: RawUsage | null | undefined): TokenUsage | undefined {
  if (raw === undefined || raw === null) return undefined;
  const promptTokens = raw.prompt_tokens ?? 0;
  const completionTokens = raw.completion_tokens ?? 0;
  const cached = raw.prompt_tokens_details?.cached_tokens;
  return {
    promptTokens,
    completionTokens,
    totalTokens: raw.total_tokens ?? promptTokens + completionTokens,
    ...(typeof cached === "number" && cached > 0 ? { cachedPromptTokens: cached } : {}),
  };
}

function finishReasonOf(raw: string | null | undefined): FinishReason | undefined {
  if (raw === null || raw === undefined) return undefined;
  return raw === "stop" || raw === "length" ? raw : "other";
}

/**
 * A deadline that restarts on every sign of life, tied to the caller's signal. Groq's SDK
 * timeout only covers the wait for headers; a stream that stalls halfway needs its own.
 */
class Deadline {
  readonly controller = new AbortController();
  timedOut = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly onCallerAbort = (): void => this.controller.abort();

  constructor(
    private readonly milliseconds: number,
    private readonly callerSignal: AbortSignal | undefined,
  ) {
    callerSignal?.addEventListener("abort", this.onCallerAbort, { once: true });
    if (callerSignal?.aborted) this.controller.abort();
    this.restart();
  }

  restart(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, this.milliseconds);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener("abort", this.onCallerAbort);
  }
}

/**
 * The Groq provider. `maxRetries: 0` because the selector owns retries: the SDK would otherwise
 * sleep whatever `retry-after` says, uncapped, before any fallback could run.
 */
export function createGroqModelClient(options: GroqModelClientOptions): ModelClient {
  const client = new Groq({ apiKey: options.apiKey, baseURL: options.baseUrl, maxRetries: 0, timeout: 60_000 });

  function chatParameters(request: CompletionRequest) {
    return {
      model: request.model,
      messages: toGroqMessages(request.messages),
      max_completion_tokens: request.maxCompletionTokens,
      ...reasoningParameters(request.reasoningFamily, request.reasoningEffort),
    };
  }

  async function stream(request: CompletionRequest): Promise<StreamedCompletion> {
    const deadline = new Deadline(request.timeoutMs, request.signal);
    try {
      const { data, response } = await client.chat.completions
        .create(
          { ...chatParameters(request), stream: true },
          { signal: deadline.controller.signal, timeout: request.timeoutMs, maxRetries: 0 },
        )
        .withResponse();
      deadline.restart();
      let usage: TokenUsage | undefined;
      let finishReason: FinishReason | undefined;
      // A compound system's searches arrive in the stream before its answer (executed-tools.ts).
      const executedTools = new ExecutedToolCollector();
      async function* deltas(): AsyncGenerator<string> {
        try {
          for await (const chunk of data as AsyncIterable<ChatCompletionChunk>) {
            deadline.restart();
            const choice = chunk.choices[0];
            executedTools.add(choice?.delta?.executed_tools);
            const content = choice?.delta?.content;
            if (typeof content === "string" && content !== "") yield content;
            finishReason = finishReasonOf(choice?.finish_reason) ?? finishReason;
            const reported = usageOf((chunk.x_groq?.usage ?? (chunk as { usage?: RawUsage | null }).usage));
            if (reported !== undefined) usage = reported;
          }
          // groq-sdk ends an aborted stream quietly, as if the answer were complete: a stall past
          // the deadline, or a stop, must not pass for a finished answer.
          if (deadline.controller.signal.aborted) throw new DOMException("The stream was aborted", "AbortError");
        } catch (error) {
          throw toModelCallError(error, request.model, deadline.timedOut);
        } finally {
          deadline.dispose();
        }
      }
      return {
        rateLimits: readRateLimitHeaders(response.headers),
        deltas: deltas(),
        usage: () => usage,
        finishReason: () => finishReason,
        executedTools: () => executedTools.tools(),
      };
    } catch (error) {
      deadline.dispose();
      throw toModelCallError(error, request.model, deadline.timedOut);
    }
  }

  async function transcribe(request: TranscriptionRequest): Promise<Transcription> {
    const deadline = new Deadline(request.timeoutMs, request.signal);
    try {
      const file = await toFile(Buffer.from(request.audio), request.fileName, { type: request.mimeType });
      const { data, response } = await client.audio.transcriptions
        .create({ file, model: request.model, response_format: "json" }, { signal: deadline.controller.signal, timeout: request.timeoutMs, maxRetries: 0 })
        .withResponse();
      return { text: data.text, rateLimits: readRateLimitHeaders(response.headers) };
    } catch (error) {
      throw toModelCallError(error, request.model, deadline.timedOut);
    } finally {
      deadline.dispose();
    }
  }

  async function listModels(signal?: AbortSignal): Promise<readonly LiveModel[]> {
    const page = await client.models.list(signal === undefined ? {} : { signal, maxRetries: 0 });
    return page.data.map((raw) => {
      const facts = raw as unknown as Record<string, unknown>;
      const contextWindow = facts.context_window ?? facts.context_length;
      const maxOutput = facts.max_completion_tokens ?? facts.max_output_length;
      const modalities = facts.input_modalities;
      return {
        id: raw.id,
        ...(typeof contextWindow === "number" ? { contextWindow } : {}),
        ...(typeof maxOutput === "number" ? { maxOutputTokens: maxOutput } : {}),
        ...(Array.isArray(modalities) ? { acceptsImages: modalities.includes("image") } : {}),
      };
    });
  }

  return { stream, transcribe, listModels };
}
