import { describe, expect, it } from "vitest";
import { liveAnswerModelIds } from "../support/capacity/bench-models.js";
import { defaultBurstTiming } from "../support/capacity/burst-timing.js";
import { mamiDefaultSettings } from "../support/capacity/mami-settings.js";
import { outcomes } from "../support/capacity/message-outcome.js";
import { runScenario, type Scenario } from "../support/capacity/run-scenario.js";
import { buildWorkload, defaultWorkloadShape } from "../support/capacity/workload.js";

/** Twice what the answer models' first minute holds, so that the queue and the minute's turn both play. */
const messages = buildWorkload({ ...defaultWorkloadShape, messages: 80, chats: 20, burstMs: 10_000 });
const onVirtualTime: Scenario = { name: "virtual", accounting: "usage_only", settings: mamiDefaultSettings(), path: "in_process", time: "virtual" };

describe("a capacity burst on virtual time", () => {
  // The timeout is shorter than the wall-clock time the burst spans (70 s and more): only virtual time ends in it.
  it("plays a workload the same way every time, past the minute's turn, every message accounted for", { timeout: 60_000 }, async () => {
    const first = await runScenario(onVirtualTime, messages, defaultBurstTiming, { ids: liveAnswerModelIds });
    const second = await runScenario(onVirtualTime, messages, defaultBurstTiming, { ids: liveAnswerModelIds });
    const { figures } = first;
    expect(outcomes.reduce((total, outcome) => total + figures.outcomes[outcome], 0)).toBe(messages.length);
    expect(figures.outcomes.lost).toBe(0);
    // Some were answered once the first minute's tokens came back, 60 s of virtual time on.
    expect(figures.outcomes.answered_complete).toBeGreaterThan(figures.answeredInFirstMinute);
    expect(figures.outcomes.told_busy).toBeGreaterThan(0);
    // The same moments for every message, so the same figures.
    expect(second.figures.outcomes).toEqual(figures.outcomes);
    expect(second.figures.answeredInFirstMinute).toBe(figures.answeredInFirstMinute);
    expect(second.figures.upstream.reservedPerUsedAnswers).toBe(figures.upstream.reservedPerUsedAnswers);
    expect(second.run.records.map((record) => record?.final?.at)).toEqual(first.run.records.map((record) => record?.final?.at === undefined ? undefined : record.final.at - first.run.startedAt + second.run.startedAt));
  });
});
