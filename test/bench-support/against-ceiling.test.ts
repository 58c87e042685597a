import { describe, expect, it } from "vitest";
import { againstCeiling } from "../support/capacity/scenario-figures.js";
import type { BurstMessage, MessageKind } from "../support/capacity/workload.js";

function message(index: number, kind: MessageKind, arrivalMs: number): BurstMessage {
  const tag = `m${index}`;
  return { index, tag, chat: index, kind, arrivalMs, text: `${tag}?`, answer: `Answer to ${tag}.`, answerTokens: 10 };
}

describe("which messages Mami answered against the ceiling's schedule", () => {
  it("counts, by kind and by 5 s of arrival, those offered, those Mami answered and those the schedule answers", () => {
    const messages = [message(0, "chat", 0), message(1, "code", 1_000), message(2, "chat", 4_999), message(3, "code", 5_000), message(4, "logic", 12_000)];
    // Mami answered the two chats and the logic question; the ceiling's schedule both codes and one chat.
    const answered = new Set(["m0", "m2", "m4"]);
    const schedule = [{ model: "a", atMs: 0 }, { model: "a", atMs: 1_000 }, undefined, { model: "a", atMs: 60_000 }, undefined];

    const { byKind, byArrival } = againstCeiling(messages, answered, schedule);

    expect(Object.fromEntries(byKind)).toEqual({
      chat: { offered: 2, answered: 2, ceiling: 1 },
      code: { offered: 2, answered: 0, ceiling: 2 },
      logic: { offered: 1, answered: 1, ceiling: 0 },
    });
    expect(Object.fromEntries(byArrival)).toEqual({
      0: { offered: 3, answered: 2, ceiling: 2 },
      5_000: { offered: 1, answered: 0, ceiling: 1 },
      10_000: { offered: 1, answered: 1, ceiling: 0 },
    });
  });
});
