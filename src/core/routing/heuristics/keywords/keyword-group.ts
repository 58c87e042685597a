import type { HeuristicRole } from "../types.js";

/**
 * How much one keyword says about a role. Strong words almost never appear outside their topic
 * ("derivative", "traceback"); weak ones only tip a close call ("function", "error", "how many").
 * A hint says nothing alone and counts only next to other evidence for its role: "today" or
 * "right now" turn "dollar rate" into a question about current events, while "yesterday I went
 * to the market" stays a story.
 */
export type KeywordStrength = "strong" | "medium" | "weak" | "hint";

export const keywordWeights: Readonly<Record<KeywordStrength, number>> = { strong: 3, medium: 1.5, weak: 0.75, hint: 1 };

/**
 * Words are written as people spell them (with diacritics) and folded when compiled, so both
 * "türev" and "turev" match. A word matches whole unless it carries `*`, which stands for any
 * run of letters: "türev*" also matches "türevini", "баз* данных" matches "базе данных".
 * Turkish, Russian, German and Spanish inflect heavily, so most of their entries are stems.
 */
export interface KeywordGroup {
  readonly role: HeuristicRole;
  readonly strength: KeywordStrength;
  readonly words: readonly string[];
}

export interface LanguageKeywords {
  /** ISO 639-1 code shown in reasons, e.g. "keyword: türev (tr)"; empty for language-neutral terms. */
  readonly language: string;
  readonly groups: readonly KeywordGroup[];
}
