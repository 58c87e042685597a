/**
 * The offline text classifier of the hybrid router: chat, logic, code or search from the words
 * and shapes of a prompt, in any of the languages in ./keywords (en, tr, es, de, ru, pt, it, pl,
 * nl, id, ar, hi, zh, ja), and from the signals that need no words (code blocks, stack traces,
 * syntax, equations, numbers) in any language. Images (vision) and size (long_context) are
 * decided before this is asked.
 */
export type { HeuristicDecision, HeuristicRole } from "./types.js";
export { classifyByHeuristics } from "./classify.js";

/**
 * Decisions at or above this confidence are trusted; below it the hybrid router asks a model.
 * 0.5 means a lead of at least two points (see scoring.ts): one strong keyword or one structural
 * signal (code block, stack trace, LaTeX, equation) with nothing pulling the other way, or a short
 * message with no technical signal at all. Checked by test/core/routing/heuristics.test.ts
 * (confident decisions at least 95% accurate, covering at least 70% of the labelled set).
 */
export const confidentThreshold: number = 0.5;
