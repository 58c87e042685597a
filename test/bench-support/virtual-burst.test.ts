import { describe, expect, it } from "vitest";
import { liveAnswerModelIds } from "../support/capacity/bench-models.js";
import { defaultBurstTiming } from "../support/capacity/burst-timing.js";
import { mamiDefaultSettings } from "../support/capacity/mami-settings.js";
import { outcomes } from "../support/capacity/message-outcome.js";
import { runScenario, type Scenario } from "../support/capacity/run-scenario.js";
import { buildWorkload, defaultWorkloadShape } from "../support/capacity/workload.js";

/** More than the answer models' first minute holds, over 25 s, so that the queue and the minute's turn both play. */
const messages = buildWorkload({ ...defaultWorkloadShape, messages: 100, chats: 25, burstMs: 25_000 });
const onVirtualTime: Scenario = { name: "virtual", accounting: "usage_only", settings: mamiDefaultSettings(), path: "in_process", time: "virtual" };

describe("a capacity burst on virtual time", () => {
  // The timeout is shorter than the wall-clock time the burst spans (70 s and more): only virtual time ends in it.
  it("plays a workload past the minute's turn in seconds, nearly the same way every time, every message accounted for", { timeout: 60_000 }, async () => {
    const first = await runScenario(onVirtualTime, messages, defaultBurstTiming, { ids: liveAnswerModelIds });
    const second = await runScenario(onVirtualTime, messages, defaultBurstTiming, { ids: liveAnswerModelIds });
    const { figures } = first;
    expect(outcomes.reduce((total, outcome) => total + figures.outcomes[outcome], 0)).toBe(messages.length);
    expect(figures.outcomes.lost).toBe(0);
    // Some were answered once the first minute's tokens came back, 60 s of virtual time on.
    expect(figures.outcomes.answered_complete).toBeGreaterThan(figures.answeredInFirstMinute);
    expect(figures.outcomes.told_busy).toBeGreaterThan(0);
    // Calls sent at the same virtual moment reach the fake in whichever order their sockets
    // deliver them, so a run may differ by a message or two, not by what the wall clock moves.
    expect(Math.abs(second.figures.outcomes.answered_complete - figures.outcomes.answered_complete)).toBeLessThanOrEqual(2);
    expect(Math.abs(second.figures.answeredInFirstMinute - figures.answeredInFirstMinute)).toBeLessThanOrEqual(2);
  });
});
