import type { CoreServices } from "../core-services.js";
import { ModelCallError, NoModelAvailableError, type AttemptRecord } from "../errors.js";
import { failurePolicy } from "../models/failure-policy.js";

const transcriptionTimeoutMs = 60_000;
/** Speech-to-text has no token limit worth tracking here; a request is charged as one token. */
const transcriptionCost = 1;

/**
 * Transcribes through the `transcribe` chain with the same quota bookkeeping as chat models:
 * a spent or failing model is skipped, a 429 or 5xx moves to the next one at once.
 */
export async function transcribeAudio(
  audio: Uint8Array,
  fileName: string,
  mimeType: string,
  services: CoreServices,
  signal: AbortSignal | undefined,
): Promise<{ readonly text: string; readonly model: string; readonly attempts: readonly AttemptRecord[] }> {
  const { registry, selector, clock, client, logger } = services;
  const attempts: AttemptRecord[] = [];
  const excluded = new Set<string>();
  for (;;) {
    const selection = selector.select(
      {
        candidates: registry.chain("transcribe"),
        needsImages: false,
        excluded,
        fitFor: () => ({ fits: true, messages: [], promptTokens: 0, completionBudget: transcriptionCost }),
      },
      clock.now(),
    );
    if (selection.kind === "none") {
      throw new NoModelAvailableError("transcribe", selection.earliestAvailableAt === undefined ? undefined : selection.earliestAvailableAt - clock.now(), attempts);
    }
    const { model, reservation } = selection;
    const state = registry.state(model);
    const startedAt = clock.now();
    try {
      const result = await client.transcribe({
        model,
        audio,
        fileName,
        mimeType,
        timeoutMs: transcriptionTimeoutMs,
        ...(signal === undefined ? {} : { signal }),
      });
      registry.recordHeaders(model, clock.now(), result.rateLimits);
      state.observeSuccess();
      attempts.push({ model, outcome: "answered", ms: clock.now() - startedAt });
      return { text: result.text.trim(), model, attempts };
    } catch (error) {
      if (!(error instanceof ModelCallError)) throw error;
      const effects = failurePolicy[error.kind];
      if (effects.releasesReservation) state.release(reservation);
      registry.recordFailure(model, clock.now(), error);
      attempts.push({ model, outcome: error.kind, reason: error.message.slice(0, 200), ms: clock.now() - startedAt });
      logger.warn({ model, kind: error.kind }, "transcription failed; falling back");
      if (effects.endsRequest) throw error;
      // A cooled-down model is skipped by selection anyway; whatever failed, try the next one.
      excluded.add(model);
    }
  }
}
