import { arithmeticRules, collectNumberCountSignal } from "./arithmetic-signals.js";
import { collectCodeFenceSignals } from "./code-fence-signals.js";
import { commandRules } from "./command-signals.js";
import { collectYamlSignal, configRules } from "./config-signals.js";
import { conversationRules } from "./conversation-signals.js";
import { errorRules } from "./error-signals.js";
import { allKeywordLists } from "./keywords/all-languages.js";
import { compileKeywordMatcher } from "./keywords/keyword-matcher.js";
import { mathNotationRules } from "./math-notation-signals.js";
import type { PatternRule } from "./pattern-rule.js";
import { collectPatternSignals } from "./pattern-rule.js";
import { prepareText } from "./prepared-text.js";
import { collectReasoningSignals } from "./reasoning-signals.js";
import { decide } from "./scoring.js";
import { isWrittenInUncoveredScript } from "./script-coverage.js";
import { syntaxRules } from "./syntax-signals.js";
import type { HeuristicDecision, Signal } from "./types.js";

/**
 * Only the start of a very long message is read. The role of a pasted log or book is clear from
 * its first pages, and the cost of a call stays bounded whatever arrives.
 */
const maximumCharactersRead = 16_384;

// Compiled once at module load; classifying builds no regular expressions.
const keywordMatcher = compileKeywordMatcher(allKeywordLists);
export const patternRules: readonly PatternRule[] = [...errorRules, ...commandRules, ...configRules, ...syntaxRules, ...mathNotationRules, ...arithmeticRules, ...conversationRules];

/** Decides between chat, logic, code and search for a text prompt, offline and in well under a millisecond. */
export function classifyByHeuristics(text: string): HeuristicDecision {
  const prepared = prepareText(text.length > maximumCharactersRead ? text.slice(0, maximumCharactersRead) : text);
  const signals: Signal[] = [];
  collectCodeFenceSignals(prepared, signals);
  collectPatternSignals(patternRules, prepared, signals);
  collectYamlSignal(prepared, signals);
  collectNumberCountSignal(prepared, signals);
  collectReasoningSignals(prepared, signals);
  keywordMatcher.collect(prepared, signals);
  return decide(signals, { wordCount: prepared.wordCount, inUncoveredScript: isWrittenInUncoveredScript(prepared.prose) });
}
