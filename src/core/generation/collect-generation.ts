import type { GenerationEvent, GenerationResult } from "./generate-with-fallback.js";

/** Runs a generation to its end without showing deltas (service calls: router, safety). */
export async function collectGeneration(generation: AsyncGenerator<GenerationEvent, GenerationResult>): Promise<GenerationResult> {
  for (;;) {
    const step = await generation.next();
    if (step.done === true) return step.value;
  }
}
