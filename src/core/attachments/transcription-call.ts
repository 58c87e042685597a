import type { CallFit, CallSpec, ModelCall, SelectedModel, SendEvent, SendResult } from "../generation/model-call.js";
import type { ModelClient } from "../ports/model-client.js";

const transcriptionTimeoutMs = 60_000;
/** Speech-to-text has no token limit worth tracking here; a request is charged as one token against the model's minute. */
const transcriptionCost = 1;

/**
 * What a transcription costs a user's daily budget (USER_DAILY_TOKENS). Audio has no tokens:
 * Groq limits speech models by requests and audio seconds, and the length of a voice message is
 * not known before it is sent. So each transcription counts as a fixed 500 tokens, about what a
 * short answer costs; the transcript itself is then charged again as the answer's prompt.
 */
export const transcriptionBudgetCharge = 500;

/**
 * A voice message to text, as a job for the fallback engine: the `transcribe` chain with the
 * same quota bookkeeping and failure policy as every other call, so a spent or failing model
 * is skipped and a 429 or 5xx moves to the next one at once.
 */
export class TranscriptionCall implements ModelCall<string> {
  readonly spec: CallSpec;

  constructor(
    candidates: readonly string[],
    arrivedAt: number,
    private readonly audio: { readonly bytes: Uint8Array; readonly fileName: string; readonly mimeType: string },
    private readonly client: ModelClient,
  ) {
    // Transcription runs while the message is prepared, before it has a place in the queue.
    this.spec = { role: "transcribe", candidates, needsImages: false, arrivedAt, maxQueueWaitMs: 0, timeoutMs: transcriptionTimeoutMs };
  }

  fit(): CallFit {
    return { fits: true, plan: { messages: [], promptTokens: 0, completionBudget: transcriptionCost } };
  }

  async *send(selected: SelectedModel, signal: AbortSignal | undefined): AsyncGenerator<SendEvent, SendResult<string>> {
    const result = await this.client.transcribe({
      model: selected.model,
      audio: this.audio.bytes,
      fileName: this.audio.fileName,
      mimeType: this.audio.mimeType,
      timeoutMs: transcriptionTimeoutMs,
      ...(signal === undefined ? {} : { signal }),
    });
    yield { kind: "headers", rateLimits: result.rateLimits };
    return { kind: "done", outcome: result.text.trim(), usage: undefined };
  }
}
