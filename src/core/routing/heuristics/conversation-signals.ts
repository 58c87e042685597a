import type { PatternRule } from "./pattern-rule.js";

/**
 * Marks of casual talk that keyword lists cannot spell out because they repeat freely:
 * "hahaha", "jajaja", "ахахах", Turkish keyboard-mash laughter "sjsjsj", and emoji.
 */
export const conversationRules: readonly PatternRule[] = [
  // Latin laughter with the fast ASCII word boundary; "ı" is folded to "i" before matching.
  { role: "chat", view: "foldedProse", weight: 2, reason: "laughter", pattern: /\b(?:a?h[aei](?:h[aei])+h?|j[aeo](?:j[aeo])+j?|lo+l|lmao+|rofl|xd+|s[jk](?:s[jk])+)\b/ },
  { role: "chat", view: "foldedProse", weight: 2, reason: "laughter", pattern: /(?<![а-я])а?х[аеи](?:х[аеи])+х?(?![а-я])/ },
  { role: "chat", view: "prose", weight: 1.5, reason: "emoji", pattern: /\p{Extended_Pictographic}/u },
];
