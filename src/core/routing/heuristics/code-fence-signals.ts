import type { PreparedText } from "./prepared-text.js";
import type { Signal } from "./types.js";

/** Info strings that mark a fence as typeset math rather than a program. */
const mathFenceLanguages: ReadonlySet<string> = new Set(["latex", "tex", "math", "katex", "asciimath"]);

/**
 * A fenced block is the clearest signal people give: they paste code, logs or config into fences.
 * The info string names the language when they bother to write it, which makes it even surer.
 */
export function collectCodeFenceSignals(text: PreparedText, signals: Signal[]): void {
  for (const block of text.fencedBlocks) {
    if (mathFenceLanguages.has(block.language)) {
      signals.push({ role: "logic", weight: 5, reason: `math block (${block.language})` });
    } else if (block.language !== "") {
      signals.push({ role: "code", weight: 5, reason: `code block (${block.language})` });
    } else {
      signals.push({ role: "code", weight: 4, reason: "code block" });
    }
  }
}
