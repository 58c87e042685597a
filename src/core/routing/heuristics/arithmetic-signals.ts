import type { PatternRule } from "./pattern-rule.js";
import { excerpt } from "./pattern-rule.js";
import type { PreparedText } from "./prepared-text.js";
import type { Signal } from "./types.js";

/**
 * Numbers used as mathematics: operations between numbers, percentages, number sequences and
 * rates. Dates, times, ports, ranges ("3-5 days") and idioms ("24/7", "50/50") are excluded by
 * requiring spaces around "-" and "/".
 */
export const arithmeticRules: readonly PatternRule[] = [
  {
    role: "logic",
    view: "prose",
    weight: 2,
    reason: (match) => `arithmetic (${excerpt(match[0])})`,
    pattern: /(?<![\w.,/:-])\d+(?:[.,]\d+)?\s*(?:[+*×÷^]|\s[-/]\s)\s*\(?\d+(?:[.,]\d+)?(?![\d/:])/,
  },
  { role: "logic", view: "prose", weight: 1.5, requires: "%", reason: "percentage", pattern: /%(?<=\d\s?%)|%(?=\s?\d)/ },
  /*
   * Four or more comma-separated numbers, or three ending in "…" or "?": "2, 6, 12, 20, ?".
   * The second form reads its list to the end before it can fail there, and any number of the
   * list may start it. A later start reaches the same end with fewer numbers, so only the first
   * number that passes the opening lookbehind is tried: the first of the list or, when the list
   * opens after "." or "[" and goes on with numbers right after a comma ("[1,2, 3, 4, 5, ?"),
   * the first one after those ("3"). Every other start fails in its lookbehinds.
   */
  {
    role: "logic",
    view: "prose",
    weight: 3,
    requires: ",",
    reason: "number sequence",
    pattern:
      /(?<![\d.,[])-?\d+(?:,\s+-?\d+){3,}|(?<![\d.,[])(?=-?\d)(?:(?<!\d\s*,\s*-?)|(?<=(?:[.[]|(?<!\d\s*),)\d+(?:\s*,\d+)*\s*,\s*-?))-?\d+(?:\s*,\s*-?\d+){2,}\s*,\s*(?:\.{2,}|…|\?|_)/,
  },
  // "15 times 17", "15 mal 17", "7 por 8", "3 çarpı 4", "5 умножить на 6": operators spelled out.
  {
    role: "logic",
    view: "foldedProse",
    weight: 2.5,
    reason: (match) => `arithmetic in words (${excerpt(match[0])})`,
    // "(?<!\d)": a match starting inside a run of digits would reach the same end as one starting
    // at its first digit, and trying each one rescanned the run.
    pattern: /(?<!\d)\d+(?:[.,]\d+)?\s+(?:times|plus|minus|divided by|multiplied by|mal|geteilt durch|durch|por|mas|menos|dividido (?:por|entre)|carpi|arti|eksi|bolu|умножить на|умноженное на|плюс|минус|разделить на|делить на)\s+\d+/,
  },
  { role: "logic", view: "prose", weight: 2, reason: (match) => `rate (${match[0]})`, pattern: /(?<!\d)\d+(?:[.,]\d+)?\s*(?:km\/h|km\/s|m\/s|mph|kmh|km\/sa|км\/ч|м\/с)/i },
];

const standaloneNumber = /(?<![\w.,:/-])\d+(?:[.,]\d+)?(?![\w:/])/g;

/**
 * Word problems carry their mathematics in numbers rather than symbols: "a train leaves at 3pm
 * going 60 mph ... 215 miles apart". Chat mentions one number ("I'm 25 and bored"); a problem
 * gives several. This signal only tips the balance, the vocabulary of the problem decides.
 */
export function collectNumberCountSignal(text: PreparedText, signals: Signal[]): void {
  const numbers = text.prose.match(standaloneNumber);
  const count = numbers === null ? 0 : new Set(numbers).size;
  if (count >= 3) signals.push({ role: "logic", weight: 1.5, reason: `${count} numbers` });
  else if (count === 2) signals.push({ role: "logic", weight: 0.75, reason: "2 numbers" });
}
