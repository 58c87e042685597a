/**
 * The abuse suite's models: free-tier models streaming slowly, with ten times their per-minute
 * limits. The suite is about bad input and abuse, not capacity (that is the load run's job): 56
 * cases in a row, floods among them, would otherwise use up the free minute, and a long answer
 * late in the run would be cut for want of quota to continue it rather than for what its case
 * tests.
 */
import type { FakeModelSpec } from "../../fakes/fake-groq/index.js";
import { slowStreamingModels } from "../telegram/telegram-end-to-end.js";

const roomFactor = 10;

export function roomySlowModels(chunkDelayMs: number): FakeModelSpec[] {
  return slowStreamingModels(chunkDelayMs).map((model) => ({ ...model, requestsPerMinute: model.requestsPerMinute * roomFactor, tokensPerMinute: model.tokensPerMinute * roomFactor }));
}
