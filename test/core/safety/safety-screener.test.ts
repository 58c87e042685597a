import { describe, expect, it } from "vitest";
import { parseBatchVerdicts } from "../../../src/core/safety/safety-screener.js";

describe("batched safety verdicts", () => {
  it.each([
    ["1: safe\n2: unsafe S2,S10\n3: safe", 3, ["safe", "unsafe", "safe"]],
    ["1. safe\n3) unsafe S1", 3, ["safe", undefined, "unsafe"]],
    ["safe", 2, [undefined, undefined]],
    // An answer that repeats an item, or names one that does not exist, echoed the items' text: none of it is trusted.
    ["1: safe\n1: unsafe S1\n2: safe", 2, [undefined, undefined]],
    ["1: unsafe S9\n2: safe\n3: safe", 2, [undefined, undefined]],
    ["reasoning first\n2: safe\nnoise\n1: unsafe", 2, ["unsafe", "safe"]],
  ])("reads %j for %i items", (answer, count, expected) => {
    const verdicts = parseBatchVerdicts(answer, count);
    expect(expected.map((_, index) => verdicts.get(index + 1)?.outcome)).toEqual(expected);
  });

  it("names the categories of an unsafe item in plain words", () => {
    const verdict = parseBatchVerdicts("1: unsafe S2", 1).get(1);
    expect(verdict).toEqual({ outcome: "unsafe", categories: ["non-violent crimes"] });
  });
});
