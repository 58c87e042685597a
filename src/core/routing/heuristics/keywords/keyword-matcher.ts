import { foldForMatching } from "../fold-text.js";
import type { PreparedText } from "../prepared-text.js";
import type { HeuristicRole, Signal } from "../types.js";
import type { KeywordStrength, LanguageKeywords } from "./keyword-group.js";
import { keywordWeights } from "./keyword-group.js";
import { wordSource } from "../words.js";

export interface KeywordMatcher {
  /** Adds one signal per distinct keyword found in the prose of the text. */
  collect(text: PreparedText, signals: Signal[]): void;
}

/** One word of a keyword: "türev*" is the prefix "turev", "how many" is "how" then "many". */
interface KeywordToken {
  readonly text: string;
  readonly isPrefix: boolean;
}

/** A keyword with the evidence it gives, merged across the lists that name it. */
interface CompiledKeyword {
  readonly tokens: readonly KeywordToken[];
  readonly characterCount: number;
  readonly evidence: KeywordEvidence[];
  signals: readonly Signal[];
}

/** Keywords whose first word is a prefix, stored by the characters of that prefix. */
interface PrefixTrieNode {
  readonly children: Map<string, PrefixTrieNode>;
  readonly keywords: CompiledKeyword[];
}

interface KeywordEvidence {
  readonly role: HeuristicRole;
  readonly isHint: boolean;
  readonly displayWord: string;
  weight: number;
  readonly languages: string[];
}

/** A keyword is split into words exactly as a text is (see words.ts), each word maybe ending in "*". */
const keywordToken = new RegExp(`(?:${wordSource})\\*?`, "gu");
/** Keywords made only of words joined by spaces, apostrophes, dots, slashes or hyphens, or written without spaces (Chinese, Japanese). */
const wordsOnlyKeyword = /^[\p{L}\p{M}\p{N}_](?:[\p{L}\p{M}\p{N}_*\s'./-]*[\p{L}\p{M}\p{N}_*])?$/u;
// Unicode-mode expressions reject needless escapes such as "\-", so only syntax characters are escaped.
const regexSpecialCharacters = /[.*+?^${}()|[\]\\/]/g;

/**
 * Compiles every list once, at module load, into an index from a word (or a word prefix) to the
 * keywords that start with it. Matching walks the words of the text once and looks each one up,
 * so the cost grows with the text, not with the number of keywords: a single alternation of
 * nearly a thousand keywords took milliseconds on a 2 KB prompt. The few names made of symbols
 * ("c++", "c#", ".net") cannot be told apart by words and go through a small expression.
 */
export function compileKeywordMatcher(lists: readonly LanguageKeywords[]): KeywordMatcher {
  const keywordsByPattern = new Map<string, CompiledKeyword>();
  for (const list of lists) {
    for (const group of list.groups) {
      for (const word of group.words) {
        const foldedPattern = foldForMatching(word.trim());
        let keyword = keywordsByPattern.get(foldedPattern);
        if (keyword === undefined) {
          keyword = { tokens: tokenizeKeyword(foldedPattern), characterCount: foldedPattern.length, evidence: [], signals: [] };
          keywordsByPattern.set(foldedPattern, keyword);
        }
        mergeEvidence(keyword, group.role, word.replaceAll("*", ""), group.strength, list.language);
      }
    }
  }
  for (const keyword of keywordsByPattern.values()) keyword.signals = keyword.evidence.map(toSignal);

  const wordIndex = new Map<string, CompiledKeyword[]>();
  const prefixTrie: PrefixTrieNode = { children: new Map(), keywords: [] };
  const symbolicKeywords: CompiledKeyword[] = [];
  for (const [foldedPattern, keyword] of keywordsByPattern) {
    const first = keyword.tokens[0];
    if (first === undefined || !wordsOnlyKeyword.test(foldedPattern)) symbolicKeywords.push(keyword);
    else if (first.isPrefix) prefixTrieNodeFor(prefixTrie, first.text).keywords.push(keyword);
    else wordIndex.set(first.text, [...(wordIndex.get(first.text) ?? []), keyword]);
  }
  const symbolicPatterns = [...keywordsByPattern.entries()].filter(([, keyword]) => symbolicKeywords.includes(keyword));
  const symbolicExpression = new RegExp(
    `(?<![\\p{L}\\p{N}_])(?:${symbolicPatterns.map(([pattern]) => `(${pattern.replace(regexSpecialCharacters, "\\$&")})`).join("|")})(?![\\p{L}\\p{N}_])`,
    "gu",
  );

  return {
    collect(text, signals) {
      const seen = new Set<CompiledKeyword>();
      const words = text.foldedWords;
      for (let position = 0; position < words.length; ) {
        const keyword = longestKeywordAt(words, position, wordIndex, prefixTrie);
        if (keyword === undefined) {
          position += 1;
          continue;
        }
        if (!seen.has(keyword)) {
          seen.add(keyword);
          signals.push(...keyword.signals);
        }
        position += keyword.tokens.length;
      }
      if (symbolicPatterns.length === 0) return;
      for (const match of text.foldedProse.matchAll(symbolicExpression)) {
        const group = match.findIndex((captured, index) => index > 0 && captured !== undefined);
        const keyword = symbolicPatterns[group - 1]?.[1];
        if (keyword === undefined || seen.has(keyword)) continue;
        seen.add(keyword);
        signals.push(...keyword.signals);
      }
    },
  };
}

function prefixTrieNodeFor(root: PrefixTrieNode, prefix: string): PrefixTrieNode {
  let node = root;
  for (const character of prefix) {
    let child = node.children.get(character);
    if (child === undefined) {
      child = { children: new Map(), keywords: [] };
      node.children.set(character, child);
    }
    node = child;
  }
  return node;
}

/**
 * The keyword that matches the most words starting at `position`, then the most characters:
 * "stack trace" wins over "stack", "kaç farklı" over "kaç", "türev*" over "tü*". Allocates
 * nothing for the common case of a word that starts no keyword.
 */
function longestKeywordAt(words: readonly string[], position: number, wordIndex: ReadonlyMap<string, readonly CompiledKeyword[]>, prefixTrie: PrefixTrieNode): CompiledKeyword | undefined {
  const word = words[position] ?? "";
  let best: CompiledKeyword | undefined;
  const consider = (keyword: CompiledKeyword): void => {
    if ((best === undefined || isLonger(keyword, best)) && matchesFollowingWords(keyword, words, position)) best = keyword;
  };
  for (const keyword of wordIndex.get(word) ?? []) consider(keyword);
  let node: PrefixTrieNode | undefined = prefixTrie;
  for (const character of word) {
    node = node.children.get(character);
    if (node === undefined) break;
    for (const keyword of node.keywords) consider(keyword);
  }
  return best;
}

function isLonger(candidate: CompiledKeyword, current: CompiledKeyword): boolean {
  return candidate.tokens.length > current.tokens.length || (candidate.tokens.length === current.tokens.length && candidate.characterCount > current.characterCount);
}

/** The first word is already known to match; the rest must match whole or by prefix. */
function matchesFollowingWords(keyword: CompiledKeyword, words: readonly string[], position: number): boolean {
  for (let offset = 1; offset < keyword.tokens.length; offset += 1) {
    const token = keyword.tokens[offset];
    const word = words[position + offset];
    if (token === undefined || word === undefined) return false;
    if (token.isPrefix ? !word.startsWith(token.text) : word !== token.text) return false;
  }
  return true;
}

function tokenizeKeyword(foldedPattern: string): KeywordToken[] {
  return (foldedPattern.match(keywordToken) ?? []).map((token) => (token.endsWith("*") ? { text: token.slice(0, -1), isPrefix: true } : { text: token, isPrefix: false }));
}

function mergeEvidence(keyword: CompiledKeyword, role: HeuristicRole, displayWord: string, strength: KeywordStrength, language: string): void {
  const weight = keywordWeights[strength];
  const isHint = strength === "hint";
  const sameRole = keyword.evidence.find((evidence) => evidence.role === role && evidence.isHint === isHint);
  if (sameRole === undefined) {
    keyword.evidence.push({ role, isHint, displayWord, weight, languages: language === "" ? [] : [language] });
    return;
  }
  // The same word in several lists counts once per role, as strongly as its strongest list says.
  sameRole.weight = Math.max(sameRole.weight, weight);
  if (language !== "" && !sameRole.languages.includes(language)) sameRole.languages.push(language);
}

function toSignal(evidence: KeywordEvidence): Signal {
  const languages = evidence.languages.length === 0 ? "" : ` (${evidence.languages.join(", ")})`;
  const reason = `keyword: ${evidence.displayWord}${languages}`;
  return evidence.isHint ? { role: evidence.role, weight: evidence.weight, reason, onlyAlongsideEvidence: true } : { role: evidence.role, weight: evidence.weight, reason };
}
