import { describe, expect, it } from "vitest";
import { classifyByHeuristics } from "../../../src/core/routing/heuristics/index.js";
import { patternRules } from "../../../src/core/routing/heuristics/classify.js";
import { prepareText } from "../../../src/core/routing/heuristics/prepared-text.js";

/**
 * Every pattern must cost time linear in the text (see pattern-rule.ts). Texts built to make a
 * backtracking pattern rescan: long runs of one character, of one word, of a word in a script
 * without spaces, and of the shapes the patterns look for. Each is timed at 4 000 and 16 000
 * characters; linear work grows about 4 times, quadratic work 16 times. The bound is loose
 * because the machine may be busy, and the best of several runs is taken for the same reason.
 * Below a few tens of milliseconds the growth is that of memory, the garbage collector (16 000
 * one-character words of Chinese) or other tests sharing the processor, not of rescanning, which
 * costs hundreds of milliseconds at this length: such a run is fast enough whatever its growth.
 * A text that still looks slow is measured again before it counts, since a busy moment can
 * slow one measurement but not three.
 */
const shortLength = 4_000;
const longLength = 16_000;
const largestLinearGrowth = 9;
const fastEnoughMilliseconds = 40;
const measurements = 3;

const adversarialUnits = [
  "1",
  " ",
  "\n",
  "in ",
  "w C",
  "var, let ",
  "let let ",
  "SELECT ",
  "a_",
  "x.y(",
  "1, ",
  "$",
  "^",
  "天",
  "天气",
  "कितना ",
  "اليوم ",
  "курс ",
  "today ",
  "tutti ",
  "todos os ",
  "alle ",
  "ta",
  "*",
  "-",
  "'",
  "'a",
  ".",
];

function repeatedTo(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

function bestMilliseconds(run: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const startedAt = performance.now();
    run();
    best = Math.min(best, performance.now() - startedAt);
  }
  return best;
}

/** Undefined when the long text is handled in linear time or fast enough; otherwise how it grew. */
function superlinearGrowth<Prepared>(prepare: (text: string) => Prepared, run: (prepared: Prepared) => void, unit: string): string | undefined {
  const short = prepare(repeatedTo(unit, shortLength));
  const long = prepare(repeatedTo(unit, longLength));
  run(short);
  let growth: string | undefined;
  for (let measurement = 0; measurement < measurements; measurement += 1) {
    const longMilliseconds = bestMilliseconds(() => run(long));
    // Times below a quarter of a millisecond are mostly noise; they are floored so the ratio stays meaningful.
    const ratio = longMilliseconds / Math.max(bestMilliseconds(() => run(short)), 0.25);
    if (ratio <= largestLinearGrowth || longMilliseconds <= fastEnoughMilliseconds) return undefined;
    growth = `${ratio.toFixed(1)}× (${longMilliseconds.toFixed(1)} ms)`;
  }
  return growth;
}

describe("heuristics cost linear time", () => {
  it("in every pattern rule, on texts built to make patterns rescan", () => {
    const slow: string[] = [];
    for (const unit of adversarialUnits) {
      for (const rule of patternRules) {
        const growth = superlinearGrowth(prepareText, (prepared) => rule.pattern.exec(prepared[rule.view]), unit);
        if (growth !== undefined) slow.push(`${JSON.stringify(unit)} × /${rule.pattern.source.slice(0, 60)}/: ${growth}`);
      }
    }
    expect(slow).toEqual([]);
  });

  it("in the whole classification, keywords and word splitting included", () => {
    const slow: string[] = [];
    for (const unit of adversarialUnits) {
      // classifyByHeuristics reads at most 16 384 characters, so both lengths are read whole.
      const growth = superlinearGrowth((text) => text, classifyByHeuristics, unit);
      if (growth !== undefined) slow.push(`${JSON.stringify(unit)}: ${growth}`);
    }
    expect(slow).toEqual([]);
  });
});
