import { ModelCallError } from "../../src/core/errors.js";
import type { DocumentTextExtractor } from "../../src/core/ports/media.js";
import type { CompletionRequest, ModelClient, StreamedCompletion } from "../../src/core/ports/model-client.js";
import { ManualClock, settle } from "./manual-clock.js";

/** How long a model takes for a call, on the virtual clock, once its answer is known. */
export type ModelTime = (request: CompletionRequest, answerCharacters: number) => number;

/**
 * A Groq model on the free tier, roughly: a moment to start, the prompt read at 20,000 tokens
 * a second, the answer written at 500 tokens a second.
 */
export const groqLikeModelTime: ModelTime = (request, answerCharacters) => {
  const promptCharacters = request.messages.reduce((total, message) => total + (typeof message.content === "string" ? message.content.length : 0), 0);
  return 300 + (promptCharacters / 4 / 20_000) * 1_000 + (answerCharacters / 4 / 500) * 1_000;
};

/**
 * Whether work waits for the event loop's next turn: a task that yields between its steps (a
 * long document split into sections, the loop turning in between) is busy, not quiet, and
 * virtual time must not run on while it works in real time.
 */
function workWaitsForNextTurn(): boolean {
  return process.getActiveResourcesInfo().includes("Immediate");
}

function realPause(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/**
 * Minutes of quota windows in seconds of real time, with no race between Mami's clock and the
 * fake Groq's: both read one manual clock, which stands still while any model call is on the
 * wire (or a PDF is being read, or its text split into sections) and jumps to the next sleeper
 * only once everything is quiet. A call's model time is then played on the virtual clock
 * between its headers and its text, as Groq admits a call (and charges it) when it starts and
 * streams the answer afterwards.
 */
export class VirtualTime {
  readonly clock = new ManualClock();
  private onTheWire = 0;

  /** The model client Mami uses: calls on the wire are counted, and each answer arrives after its model time. */
  wrap(client: ModelClient, modelTime: ModelTime = () => 0): ModelClient {
    const clock = this.clock;
    return {
      listModels: (signal) => this.whileOnTheWire(() => client.listModels(signal)),
      transcribe: (request) => this.whileOnTheWire(() => client.transcribe(request)),
      stream: async (request): Promise<StreamedCompletion> => {
        const { completion, deltas, failure } = await this.whileOnTheWire(async () => {
          const started = await client.stream(request);
          const received: string[] = [];
          let broken: Error | undefined;
          try {
            for await (const delta of started.deltas) received.push(delta);
          } catch (error) {
            broken = error instanceof Error ? error : new Error(String(error));
          }
          return { completion: started, deltas: received, failure: broken };
        });
        const answerCharacters = deltas.reduce((total, delta) => total + delta.length, 0);
        async function* replay(): AsyncGenerator<string> {
          try {
            await clock.sleep(modelTime(request, answerCharacters), request.signal);
          } catch {
            throw new ModelCallError("The call was aborted.", { kind: "aborted", model: request.model });
          }
          yield* deltas;
          if (failure !== undefined) throw failure;
        }
        return { rateLimits: completion.rateLimits, deltas: replay(), usage: () => completion.usage(), finishReason: () => completion.finishReason() };
      },
    };
  }

  /** The PDF reader Mami uses: reading a PDF takes real time, during which virtual time waits too. */
  wrapDocuments(documents: DocumentTextExtractor): DocumentTextExtractor {
    return { extractPdfText: (bytes, limits) => this.whileOnTheWire(() => documents.extractPdfText(bytes, limits)) };
  }

  /** Starts `work` at virtual time `at` (a message that arrives then). */
  at<Result>(at: number, work: () => Promise<Result>): Promise<Result> {
    return this.clock.sleep(Math.max(0, at - this.clock.now())).then(work);
  }

  /**
   * Moves time until `work` settles: whenever nothing is on the wire and nothing else is
   * pending, to the next sleeper's time. Fails when virtual time passes `limitMs` first.
   */
  async drive<Result>(work: Promise<Result>, limitMs = 60 * 60_000): Promise<Result> {
    let finished = false;
    const watched = work.finally(() => {
      finished = true;
    });
    watched.catch(() => undefined);
    const startedAt = this.clock.now();
    while (!finished) {
      await realPause(1);
      if (finished || this.onTheWire > 0) continue;
      await settle();
      await settle();
      if (finished || this.onTheWire > 0 || workWaitsForNextTurn()) continue;
      const next = this.clock.nextWakeAt;
      if (next === undefined) continue;
      if (next - startedAt > limitMs) throw new Error(`Virtual time passed ${limitMs} ms before the work was done.`);
      await this.clock.advance(Math.max(0, next - this.clock.now()));
    }
    return watched;
  }

  private async whileOnTheWire<Result>(call: () => Promise<Result>): Promise<Result> {
    this.onTheWire += 1;
    try {
      return await call();
    } finally {
      this.onTheWire -= 1;
    }
  }
}
