import type { PreparedText } from "./prepared-text.js";
import type { HeuristicRole, Signal } from "./types.js";

/**
 * A precompiled regular expression that is evidence for one role. Patterns must not carry the
 * `g` or `y` flag: `exec` then starts from the beginning every call and keeps no state.
 *
 * Every pattern must cost time linear in the text, because the text can be a 16 KB pasted file
 * (test/bench/adversarial-text.bench.test.ts checks this). Backtracking engines go quadratic when
 * many start positions each rescan the same long stretch, so the patterns follow a few rules:
 * - Indentation at a line start is `^[^\S\n\r\u2028\u2029]*`, never `^\s*`: with the `m` flag
 *   `^\s*` starts at every line of a run of blank lines and crosses all the following ones.
 *   Line terminators are the ones `^` and `$` know. The match is the same, minus blank lines.
 * - A run that may start anywhere inside itself (`\d+`, `[\w$]*`) is anchored to the start of
 *   the run with a lookbehind, so a run of 16 000 digits is read once, not 16 000 times.
 * - Two quantifiers that can share characters (`\s*[*]?\s*`, `[^\n]*\s+`) are rewritten so each
 *   character has one owner, and a "scan to the closer" (`[^}]*;[^}]*\}`) is made possessive
 *   with `(?=(...))\1`, which backtracking cannot reenter.
 */
export interface PatternRule {
  readonly role: HeuristicRole;
  readonly pattern: RegExp;
  readonly weight: number;
  /** Either a fixed reason or one built from the match, e.g. "error name (TypeError)". */
  readonly reason: string | ((match: RegExpExecArray) => string);
  /** Which view to read: "original" includes code blocks, "prose" leaves them out, "foldedProse" is lower-case without diacritics. */
  readonly view: "original" | "prose" | "foldedProse";
  /**
   * A character or string every match contains. When the text lacks it the expression is not
   * run at all, which keeps long prompts cheap: `includes` is far faster than a regex scan.
   */
  readonly requires?: string;
}

export function collectPatternSignals(rules: readonly PatternRule[], text: PreparedText, signals: Signal[]): void {
  for (const rule of rules) {
    const view = text[rule.view];
    if (rule.requires !== undefined && !view.includes(rule.requires)) continue;
    const match = rule.pattern.exec(view);
    if (match === null) continue;
    const reason = typeof rule.reason === "string" ? rule.reason : rule.reason(match);
    signals.push({ role: rule.role, weight: rule.weight, reason });
  }
}

const whitespaceRun = /\s+/g;

/** Shortens a matched snippet for a reason line; reasons are read in a terminal. */
export function excerpt(snippet: string | undefined, maximumLength = 24): string {
  const collapsed = (snippet ?? "").replace(whitespaceRun, " ").trim();
  return collapsed.length <= maximumLength ? collapsed : `${collapsed.slice(0, maximumLength - 1)}…`;
}
