import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { HeuristicDecision, HeuristicRole } from "../../../src/core/routing/heuristics/index.js";
import { classifyByHeuristics, confidentThreshold } from "../../../src/core/routing/heuristics/index.js";

/**
 * The multilingual labelled set: chat, logic, code and search in the five languages of the first
 * keyword lists and nine more (pt, it, ar, zh, ja, hi, pl, nl, id).
 * - routing-prompts-multilingual.json tunes the keyword lists: a miss there is fixed with a rule.
 * - routing-prompts-multilingual-holdout.json was written with the first prompts of the tuning set,
 *   before any rule, and never used to tune them: its accuracy is the honest estimate. Do not add
 *   rules for its misses; write new prompts into the tuning set instead.
 * - routing-prompts-unseen-languages.json is in languages no keyword list covers (fr, ko, vi). It
 *   measures what the language-independent signals alone do; it is reported, with a floor only on
 *   the classes those signals can carry.
 */
const roles = ["chat", "logic", "code", "search"] as const;
const labelledPromptSchema = z.array(z.object({ text: z.string().min(1), role: z.enum(roles), language: z.string().length(2) }));
type LabelledPrompt = z.infer<typeof labelledPromptSchema>[number];

function load(fileName: string): readonly LabelledPrompt[] {
  return labelledPromptSchema.parse(JSON.parse(readFileSync(new URL(`../../data/${fileName}`, import.meta.url), "utf8")));
}

const tuningSet = load("routing-prompts-multilingual.json");
const heldOut = load("routing-prompts-multilingual-holdout.json");
const unseenLanguages = load("routing-prompts-unseen-languages.json");
const requiredLanguages = ["en", "tr", "es", "de", "ru", "pt", "it", "ar", "zh", "ja", "hi", "pl", "nl", "id"];

interface Outcome {
  readonly prompt: LabelledPrompt;
  readonly decision: HeuristicDecision;
  readonly correct: boolean;
}

function classifyAll(prompts: readonly LabelledPrompt[]): Outcome[] {
  return prompts.map((prompt) => {
    const decision = classifyByHeuristics(prompt.text);
    return { prompt, decision, correct: decision.role === prompt.role };
  });
}

function accuracy(outcomes: readonly Outcome[]): number {
  return outcomes.length === 0 ? 0 : outcomes.filter((outcome) => outcome.correct).length / outcomes.length;
}

function cell(outcomes: readonly Outcome[]): string {
  return outcomes.length === 0 ? "-" : `${(accuracy(outcomes) * 100).toFixed(0)}% (${outcomes.filter((outcome) => outcome.correct).length}/${outcomes.length})`;
}

/** One line per language and one per role, then every miss with its reasons. */
function table(title: string, outcomes: readonly Outcome[]): string {
  const lines = [`${title}: overall ${cell(outcomes)}`];
  for (const language of new Set(outcomes.map((outcome) => outcome.prompt.language))) {
    const inLanguage = outcomes.filter((outcome) => outcome.prompt.language === language);
    const perRole = roles.map((role) => `${role} ${cell(inLanguage.filter((outcome) => outcome.prompt.role === role))}`);
    lines.push(`  ${language}: ${cell(inLanguage).padEnd(13)} ${perRole.join(", ")}`);
  }
  lines.push(`  per role: ${roles.map((role) => `${role} ${cell(outcomes.filter((outcome) => outcome.prompt.role === role))}`).join(", ")}`);
  const confident = outcomes.filter((outcome) => outcome.decision.confidence >= confidentThreshold);
  lines.push(`  confident (>= ${confidentThreshold}): coverage ${((confident.length / outcomes.length) * 100).toFixed(0)}%, accuracy ${cell(confident)}`);
  for (const outcome of outcomes.filter((candidate) => !candidate.correct)) {
    const text = outcome.prompt.text.replace(/\s+/g, " ");
    lines.push(`  [${outcome.prompt.language}] expected ${outcome.prompt.role}, got ${outcome.decision.role} (${outcome.decision.confidence}) "${text.slice(0, 80)}" — ${outcome.decision.reasons.join("; ")}`);
  }
  return lines.join("\n");
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

describe("the multilingual labelled set", () => {
  it("covers the 14 languages with at least 25 prompts each, and no prompt twice", () => {
    const perLanguage = countBy(tuningSet, (prompt) => prompt.language);
    for (const language of requiredLanguages) expect(perLanguage.get(language) ?? 0, language).toBeGreaterThanOrEqual(25);
    const allTexts = [...tuningSet, ...heldOut, ...unseenLanguages].map((prompt) => prompt.text);
    expect(new Set(allTexts).size).toBe(allTexts.length);
  });

  it("has every role at 20–30% of every language", () => {
    for (const language of requiredLanguages) {
      const inLanguage = tuningSet.filter((prompt) => prompt.language === language);
      for (const role of roles) {
        const share = inLanguage.filter((prompt) => prompt.role === role).length / inLanguage.length;
        expect(share, `${role} in ${language}`).toBeGreaterThanOrEqual(0.2);
        expect(share, `${role} in ${language}`).toBeLessThanOrEqual(0.3);
      }
    }
  });

  it("has at least 60 search prompts in at least four languages", () => {
    const search = tuningSet.filter((prompt) => prompt.role === "search");
    expect(search.length).toBeGreaterThanOrEqual(60);
    expect(new Set(search.map((prompt) => prompt.language)).size).toBeGreaterThanOrEqual(4);
  });

  it("keeps a held-out fifth in every language and role, sharing no prompt with the tuning set", () => {
    const share = heldOut.length / (heldOut.length + tuningSet.length);
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
    const heldOutCells = countBy(heldOut, (prompt) => `${prompt.language} ${prompt.role}`);
    for (const language of requiredLanguages) for (const role of roles) expect(heldOutCells.get(`${language} ${role}`) ?? 0, `${language} ${role}`).toBeGreaterThanOrEqual(2);
  });
});

describe("classifyByHeuristics in 14 languages", () => {
  const outcomes = classifyAll(tuningSet);

  it("is at least 95% accurate overall, 90% on search and 85% in every language and role", () => {
    console.log(table("multilingual tuning set", outcomes));
    expect(accuracy(outcomes)).toBeGreaterThanOrEqual(0.95);
    expect(accuracy(outcomes.filter((outcome) => outcome.prompt.role === "search"))).toBeGreaterThanOrEqual(0.9);
    for (const language of requiredLanguages) expect(accuracy(outcomes.filter((outcome) => outcome.prompt.language === language)), language).toBeGreaterThanOrEqual(0.85);
    for (const role of roles) expect(accuracy(outcomes.filter((outcome) => outcome.prompt.role === role)), role).toBeGreaterThanOrEqual(0.85);
  });

  it("is calibrated: confident decisions are at least 95% accurate and cover at least 70% of the set", () => {
    const confident = outcomes.filter((outcome) => outcome.decision.confidence >= confidentThreshold);
    expect(accuracy(confident)).toBeGreaterThanOrEqual(0.95);
    expect(confident.length / outcomes.length).toBeGreaterThanOrEqual(0.7);
  });

  it("is at least 90% accurate on the held-out prompts, and 85% on held-out search", () => {
    const heldOutOutcomes = classifyAll(heldOut);
    console.log(table("multilingual held-out set", heldOutOutcomes));
    expect(accuracy(heldOutOutcomes)).toBeGreaterThanOrEqual(0.9);
    expect(accuracy(heldOutOutcomes.filter((outcome) => outcome.prompt.role === "search"))).toBeGreaterThanOrEqual(0.85);
    const confident = heldOutOutcomes.filter((outcome) => outcome.decision.confidence >= confidentThreshold);
    expect(accuracy(confident)).toBeGreaterThanOrEqual(0.9);
  });

  it("routes chat, math and code in languages without a keyword list by the signals that need no words", () => {
    const unseenOutcomes = classifyAll(unseenLanguages);
    console.log(table("languages without keyword lists (fr, ko, vi)", unseenOutcomes));
    // Search needs words ("weather", "rate"): without a list for the language it is left to the model.
    expect(accuracy(unseenOutcomes.filter((outcome) => outcome.prompt.role !== "search"))).toBeGreaterThanOrEqual(0.75);
  });
});

function expectRole(text: string, role: HeuristicRole): HeuristicDecision {
  const decision = classifyByHeuristics(text);
  expect(decision.role, `${text} — ${decision.reasons.join("; ")}`).toBe(role);
  return decision;
}

describe("search signals", () => {
  it("questions about weather, prices, news and results are search, with the words that decided", () => {
    expect(expectRole("what's the weather in Berlin tomorrow?", "search").reasons).toContain("keyword: weather (en)");
    expectRole("bugün dolar kaç tl", "search");
    expectRole("курс доллара на сегодня", "search");
    expectRole("明天北京天气怎么样？", "search");
    expectRole("今日のドル円の為替レートは？", "search");
  });

  it("a time word alone is no question about current events", () => {
    // "yesterday" and "now" are hints: they count only next to a topic such as a price or a match.
    const story = expectRole("so yesterday I went to the market and now I wonder what to make of it", "chat");
    expect(story.reasons.join(" ")).not.toContain("yesterday");
    expectRole("Hey, wie geht's dir heute?", "chat");
    expectRole("who won the 2018 world cup?", "chat");
  });

  it("a word problem about prices stays logic", () => {
    expectRole("一件衣服先涨价20%，再降价20%，现在的价格比原来高还是低？", "logic");
    expectRole("a bat and a ball cost $1.10 together and the bat costs a dollar more than the ball. how much is the ball?", "logic");
  });
});

describe("words in scripts without spaces or with marks", () => {
  it("reads Chinese and Japanese keywords inside a sentence without spaces", () => {
    expect(expectRole("鸡兔同笼，共有35个头，94只脚，问鸡和兔各有几只？", "logic").reasons).toContain("keyword: 鸡兔同笼 (zh)");
    expect(expectRole("Pythonでリストを逆順にする方法は？", "code").reasons.join(" ")).toContain("python");
  });

  it("leaves a message in a script no list covers to the model when no signal decides", () => {
    for (const text of ["이번 주말 부산 날씨 알려줘", "Τι καιρό θα κάνει αύριο στην Αθήνα;", "מה השער של הדולר היום?"]) {
      const decision = classifyByHeuristics(text);
      expect(decision.confidence, text).toBeLessThan(confidentThreshold);
      expect(decision.reasons).toContain("a script the keyword lists do not cover");
    }
    // A signal that needs no words still decides with confidence.
    expect(classifyByHeuristics("방정식 2x + 3 = 11 을 풀어줘").role).toBe("logic");
  });

  it("splits a technical name from a suffix of another script glued onto it", () => {
    // Korean has no keyword list; "SQL" is found inside "SQL로" all the same.
    expect(expectRole("SQL로 중복된 행을 지우는 방법", "code").reasons).toContain("keyword: sql");
  });

  it("keeps a longer word from being read as the shorter keyword inside it", () => {
    // 程序员 (a programmer, talked about) contains 程序 (a program).
    expectRole("我男朋友是程序员，天天加班，我该怎么办？", "chat");
  });

  it("folds the Devanagari nukta and the Arabic hamza the way people skip them", () => {
    expect(classifyByHeuristics("फ़ंक्शन लिखो").reasons).toEqual(classifyByHeuristics("फंक्शन लिखो").reasons);
    expect(classifyByHeuristics("آخر الأخبار").role).toBe("search");
    expect(classifyByHeuristics("اخر الاخبار").role).toBe("search");
  });
});

describe("language-independent code signals", () => {
  it("a programming language named after a preposition and capitalised SQL are code in any language", () => {
    expect(expectRole("scrivi una funzione in C che calcoli il fattoriale di un numero", "code").reasons).toContain("in a programming language (in C)");
    expectRole("como faço um SELECT com JOIN entre duas tabelas?", "code");
    expectRole("qual è la differenza tra var, let e const?", "code");
  });
});
