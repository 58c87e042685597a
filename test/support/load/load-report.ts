/** The load run's figures as the lines the bench prints and the README quotes. */
import { loadOutcomes, type LoadOutcome } from "./load-outcome.js";
import type { LoadFigures } from "./load-run.js";

export function countOf(figures: LoadFigures, outcome: LoadOutcome): number {
  return figures.records.filter((record) => record.outcome === outcome).length;
}

/** Messages with more than one final reply: must be none. */
export function duplicated(figures: LoadFigures): number {
  return figures.records.filter((record) => record.finals > 1).length;
}

export function describeLoad(figures: LoadFigures): string {
  const counts = loadOutcomes.map((outcome) => `${outcome.replaceAll("_", " ")} ${countOf(figures, outcome)}`).join(", ");
  return [
    `[bench] ${figures.platform}: ${figures.records.length} messages in ${(figures.durationMs / 1000).toFixed(0)} s: ${counts}; more than one final: ${duplicated(figures)}`,
    `[bench] ${figures.platform}: provider 429s ${figures.provider429s} of ${figures.providerCalls} chat calls; RSS at the end ${figures.rssMb.toFixed(0)} MB; event-loop delay p99 ${figures.eventLoopDelayP99Ms.toFixed(0)} ms, max ${figures.eventLoopDelayMaxMs.toFixed(0)} ms`,
    `[bench] ${figures.platform}: ${figures.faultsDealt.length} faults dealt: ${[...new Set(figures.faultsDealt)].join("; ")}`,
  ].join("\n");
}
