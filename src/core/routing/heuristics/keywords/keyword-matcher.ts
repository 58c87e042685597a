import { foldForMatching } from "../fold-text.js";
import type { PreparedText } from "../prepared-text.js";
import type { HeuristicRole, Signal } from "../types.js";
import type { KeywordWord } from "../words.js";
import { splitKeyword } from "../words.js";
import type { KeywordStrength, LanguageKeywords } from "./keyword-group.js";
import { keywordWeights } from "./keyword-group.js";

export interface KeywordMatcher {
  /** Adds one signal per distinct keyword found in the prose of the text. */
  collect(text: PreparedText, signals: Signal[]): void;
}

/**
 * A keyword with the evidence it gives, merged across the lists that name it. Its signals are
 * built the first time a text contains it: most of the few thousand keywords never match in a
 * process as short as `mami route`, and building them all showed in its start-up.
 */
interface CompiledKeyword {
  readonly foldedPattern: string;
  /** "türev*" is the prefix "turev", "how many" is "how" then "many". */
  readonly words: readonly KeywordWord[];
  readonly characterCount: number;
  readonly evidence: KeywordEvidence[];
  signals?: readonly Signal[];
}

interface KeywordEvidence {
  readonly role: HeuristicRole;
  readonly isHint: boolean;
  /** As written in the list, "*" included; shown without it. */
  readonly writtenWord: string;
  weight: number;
  readonly languages: string[];
}

/**
 * Keywords whose first word is a prefix are filed under the first characters of that prefix:
 * a text word then needs at most this many look-ups, and no tree of nodes is built at start-up.
 */
const prefixKeyLength = 3;

/**
 * Where the first word of a keyword ends: a space, a separator ("node.js", "ci/cd", "c'est"),
 * its "*", a symbol, or the end of a first ideograph ("天气" starts with 天).
 */
const firstWordBoundary = /[\s'./*+#&-]|(?<=[\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])/;
/** Names made of symbols, which the words of a text leave out: "c++", "c#", ".net", "s&p 500". */
const symbolicCharacter = /^[.]|[+#&]/;
// Unicode-mode expressions reject needless escapes such as "\-", so only syntax characters are escaped.
const regexSpecialCharacters = /[.*+?^${}()|[\]\\/]/g;

/** One keyword as a list writes it, filed at start-up and compiled when a text first needs it. */
interface KeywordSource {
  readonly foldedPattern: string;
  readonly writtenWord: string;
  readonly role: HeuristicRole;
  readonly strength: KeywordStrength;
  readonly language: string;
}

/**
 * Files every keyword at module load under the first word it starts with (or the first
 * characters of that word, when it is a prefix). Matching walks the words of the text once and
 * looks each one up, so the cost grows with the text, not with the number of keywords: a single
 * alternation of nearly a thousand keywords took milliseconds on a 2 KB prompt. A group of
 * keywords is compiled (split into words, its evidence merged across lists) the first time a
 * text reaches it: filing is all the start-up work, which `mami route` pays on every call. The
 * few names made of symbols ("c++", "c#", ".net") cannot be told apart by words and go through
 * a small expression.
 */
export function compileKeywordMatcher(lists: readonly LanguageKeywords[]): KeywordMatcher {
  const wholeWordIndex = new KeywordIndex();
  const prefixIndex = new KeywordIndex();
  const symbolicSources: KeywordSource[] = [];
  for (const list of lists) {
    for (const group of list.groups) {
      for (const writtenWord of group.words) {
        const foldedPattern = foldForMatching(writtenWord.trim());
        const source = { foldedPattern, writtenWord, role: group.role, strength: group.strength, language: list.language };
        const boundary = foldedPattern.search(firstWordBoundary);
        const firstWord = boundary < 0 ? foldedPattern : foldedPattern.slice(0, boundary);
        if (firstWord === "" || symbolicCharacter.test(foldedPattern)) symbolicSources.push(source);
        else if (foldedPattern[boundary] === "*") prefixIndex.file(firstWord.slice(0, prefixKeyLength), source);
        else wholeWordIndex.file(firstWord, source);
      }
    }
  }
  const symbolicPatterns = [...compileSources(symbolicSources)];
  const symbolicExpression = new RegExp(
    `(?<![\\p{L}\\p{N}_])(?:${symbolicPatterns.map((keyword) => `(${keyword.foldedPattern.replace(regexSpecialCharacters, "\\$&")})`).join("|")})(?![\\p{L}\\p{N}_])`,
    "gu",
  );

  return {
    collect(text, signals) {
      const seen = new Set<CompiledKeyword>();
      const words = text.foldedWords;
      for (let position = 0; position < words.length; ) {
        const keyword = longestKeywordAt(words, position, wholeWordIndex, prefixIndex);
        if (keyword === undefined) {
          position += 1;
          continue;
        }
        if (!seen.has(keyword)) {
          seen.add(keyword);
          signals.push(...signalsOf(keyword));
        }
        position += keyword.words.length;
      }
      if (symbolicPatterns.length === 0) return;
      for (const match of text.foldedProse.matchAll(symbolicExpression)) {
        const group = match.findIndex((captured, index) => index > 0 && captured !== undefined);
        const keyword = symbolicPatterns[group - 1];
        if (keyword === undefined || seen.has(keyword)) continue;
        seen.add(keyword);
        signals.push(...signalsOf(keyword));
      }
    },
  };
}

/** Keyword sources filed by a key, compiled into keywords the first time the key is looked up. */
class KeywordIndex {
  private readonly sources = new Map<string, KeywordSource[]>();
  private readonly compiled = new Map<string, readonly CompiledKeyword[]>();

  file(key: string, source: KeywordSource): void {
    const filed = this.sources.get(key);
    if (filed === undefined) this.sources.set(key, [source]);
    else filed.push(source);
  }

  lookUp(key: string): readonly CompiledKeyword[] {
    // Most words of a text start no keyword: one look-up answers them.
    const sources = this.sources.get(key);
    if (sources === undefined) return noKeywords;
    const compiled = this.compiled.get(key);
    if (compiled !== undefined) return compiled;
    const keywords = [...compileSources(sources)];
    this.compiled.set(key, keywords);
    return keywords;
  }
}

const noKeywords: readonly CompiledKeyword[] = [];

/** Merges the sources of one pattern (the same word in several lists) into one keyword. */
function compileSources(sources: readonly KeywordSource[]): IterableIterator<CompiledKeyword> {
  const keywordsByPattern = new Map<string, CompiledKeyword>();
  for (const source of sources) {
    let keyword = keywordsByPattern.get(source.foldedPattern);
    if (keyword === undefined) {
      keyword = { foldedPattern: source.foldedPattern, words: splitKeyword(source.foldedPattern), characterCount: source.foldedPattern.length, evidence: [] };
      keywordsByPattern.set(source.foldedPattern, keyword);
    }
    mergeEvidence(keyword, source);
  }
  return keywordsByPattern.values();
}

/**
 * The keyword that matches the most words starting at `position`, then the most characters:
 * "stack trace" wins over "stack", "kaç farklı" over "kaç", "türev*" over "tü*". A prefix
 * keyword is found under the first characters of the word (or the whole word, when shorter).
 */
function longestKeywordAt(
  words: readonly string[],
  position: number,
  wholeWordIndex: KeywordIndex,
  prefixIndex: KeywordIndex,
): CompiledKeyword | undefined {
  const word = words[position] ?? "";
  let best: CompiledKeyword | undefined;
  const consider = (keyword: CompiledKeyword): void => {
    if ((best === undefined || isLonger(keyword, best)) && matchesFollowingWords(keyword, words, position)) best = keyword;
  };
  for (const keyword of wholeWordIndex.lookUp(word)) consider(keyword);
  for (let length = 1; length <= prefixKeyLength && length <= word.length; length += 1) {
    for (const keyword of prefixIndex.lookUp(word.slice(0, length))) {
      // Under a key shorter than prefixKeyLength is only a prefix of exactly that length.
      const prefix = keyword.words[0]?.text ?? "";
      if (length < prefixKeyLength ? prefix.length === length : word.startsWith(prefix)) consider(keyword);
    }
  }
  return best;
}

function isLonger(candidate: CompiledKeyword, current: CompiledKeyword): boolean {
  return candidate.words.length > current.words.length || (candidate.words.length === current.words.length && candidate.characterCount > current.characterCount);
}

/** The first word is already known to match; the rest must match whole or by prefix. */
function matchesFollowingWords(keyword: CompiledKeyword, words: readonly string[], position: number): boolean {
  for (let offset = 1; offset < keyword.words.length; offset += 1) {
    const expected = keyword.words[offset];
    const word = words[position + offset];
    if (expected === undefined || word === undefined) return false;
    if (expected.isPrefix ? !word.startsWith(expected.text) : word !== expected.text) return false;
  }
  return true;
}

function mergeEvidence(keyword: CompiledKeyword, { role, writtenWord, strength, language }: KeywordSource): void {
  const weight = keywordWeights[strength];
  const isHint = strength === "hint";
  const sameRole = keyword.evidence.find((evidence) => evidence.role === role && evidence.isHint === isHint);
  if (sameRole === undefined) {
    keyword.evidence.push({ role, isHint, writtenWord, weight, languages: language === "" ? [] : [language] });
    return;
  }
  // The same word in several lists counts once per role, as strongly as its strongest list says.
  sameRole.weight = Math.max(sameRole.weight, weight);
  if (language !== "" && !sameRole.languages.includes(language)) sameRole.languages.push(language);
}

function signalsOf(keyword: CompiledKeyword): readonly Signal[] {
  keyword.signals ??= keyword.evidence.map(toSignal);
  return keyword.signals;
}

function toSignal(evidence: KeywordEvidence): Signal {
  const languages = evidence.languages.length === 0 ? "" : ` (${evidence.languages.join(", ")})`;
  const reason = `keyword: ${evidence.writtenWord.replaceAll("*", "")}${languages}`;
  return evidence.isHint ? { role: evidence.role, weight: evidence.weight, reason, onlyAlongsideEvidence: true } : { role: evidence.role, weight: evidence.weight, reason };
}
