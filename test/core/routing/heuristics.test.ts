import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { HeuristicRole } from "../../../src/core/routing/heuristics/index.js";
import { patternRules } from "../../../src/core/routing/heuristics/classify.js";
import { classifyByHeuristics, confidentThreshold } from "../../../src/core/routing/heuristics/index.js";

const labelledPromptSchema = z.array(
  z.object({
    text: z.string().min(1),
    role: z.enum(["chat", "logic", "code"]),
    language: z.string().length(2),
  }),
);
type LabelledPrompt = z.infer<typeof labelledPromptSchema>[number];

const prompts: readonly LabelledPrompt[] = labelledPromptSchema.parse(JSON.parse(readFileSync(new URL("../../data/routing-prompts.json", import.meta.url), "utf8")));

interface Outcome {
  readonly prompt: LabelledPrompt;
  readonly role: HeuristicRole;
  readonly confidence: number;
  readonly reasons: readonly string[];
  readonly correct: boolean;
}

const outcomes: readonly Outcome[] = prompts.map((prompt) => {
  const decision = classifyByHeuristics(prompt.text);
  return { prompt, role: decision.role, confidence: decision.confidence, reasons: decision.reasons, correct: decision.role === prompt.role };
});

function accuracy(subset: readonly Outcome[]): number {
  return subset.length === 0 ? 0 : subset.filter((outcome) => outcome.correct).length / subset.length;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

function languagesOf(subset: readonly Outcome[]): string[] {
  return [...new Set(subset.map((outcome) => outcome.prompt.language))];
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > 90 ? `${oneLine.slice(0, 89)}…` : oneLine;
}

describe("routing prompt data set", () => {
  it("has at least 180 prompts, 45 English and 45 Turkish, and 25 each in three more languages", () => {
    const countByLanguage = new Map<string, number>();
    for (const prompt of prompts) countByLanguage.set(prompt.language, (countByLanguage.get(prompt.language) ?? 0) + 1);
    expect(prompts.length).toBeGreaterThanOrEqual(180);
    expect(countByLanguage.get("en")).toBeGreaterThanOrEqual(45);
    expect(countByLanguage.get("tr")).toBeGreaterThanOrEqual(45);
    const others = [...countByLanguage.entries()].filter(([language, count]) => language !== "en" && language !== "tr" && count >= 25);
    expect(others.length).toBeGreaterThanOrEqual(3);
  });

  it("has roughly a third of each role in every language", () => {
    for (const language of new Set(prompts.map((prompt) => prompt.language))) {
      const inLanguage = prompts.filter((prompt) => prompt.language === language);
      for (const role of ["chat", "logic", "code"] as const) {
        const share = inLanguage.filter((prompt) => prompt.role === role).length / inLanguage.length;
        expect(share, `${role} in ${language}`).toBeGreaterThan(0.25);
        expect(share, `${role} in ${language}`).toBeLessThan(0.42);
      }
    }
  });

  it("holds no duplicate prompts", () => {
    expect(new Set(prompts.map((prompt) => prompt.text)).size).toBe(prompts.length);
  });
});

describe("classifyByHeuristics on the labelled set", () => {
  it("is at least 90% accurate overall and at least 80% in every language", () => {
    const overall = accuracy(outcomes);
    const lines = [`overall accuracy ${percent(overall)} (${outcomes.filter((outcome) => outcome.correct).length}/${outcomes.length})`];
    for (const language of languagesOf(outcomes)) {
      const inLanguage = outcomes.filter((outcome) => outcome.prompt.language === language);
      lines.push(`  ${language}: ${percent(accuracy(inLanguage))} (${inLanguage.filter((outcome) => outcome.correct).length}/${inLanguage.length})`);
    }
    const misclassified = outcomes.filter((outcome) => !outcome.correct);
    lines.push(`misclassified (${misclassified.length}):`);
    for (const outcome of misclassified) {
      lines.push(`  [${outcome.prompt.language}] expected ${outcome.prompt.role}, got ${outcome.role} (${outcome.confidence}) "${shorten(outcome.prompt.text)}" — ${outcome.reasons.join("; ")}`);
    }
    console.log(lines.join("\n"));

    expect(overall).toBeGreaterThanOrEqual(0.9);
    for (const language of languagesOf(outcomes)) {
      expect(accuracy(outcomes.filter((outcome) => outcome.prompt.language === language)), language).toBeGreaterThanOrEqual(0.8);
    }
  });

  it("is calibrated: confident decisions are at least 95% accurate and cover at least 70% of the set", () => {
    const confident = outcomes.filter((outcome) => outcome.confidence >= confidentThreshold);
    const coverage = confident.length / outcomes.length;
    const confidentAccuracy = accuracy(confident);
    const wrongButConfident = confident.filter((outcome) => !outcome.correct);
    console.log(
      [
        `confidentThreshold ${confidentThreshold}: coverage ${percent(coverage)} (${confident.length}/${outcomes.length}), accuracy ${percent(confidentAccuracy)}`,
        ...wrongButConfident.map((outcome) => `  confident but wrong: expected ${outcome.prompt.role}, got ${outcome.role} (${outcome.confidence}) "${shorten(outcome.prompt.text)}"`),
      ].join("\n"),
    );
    expect(confidentAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(coverage).toBeGreaterThanOrEqual(0.7);
  });

  it("always answers a confidence between 0 and 1 and at least one reason", () => {
    for (const outcome of outcomes) {
      expect(outcome.confidence).toBeGreaterThanOrEqual(0);
      expect(outcome.confidence).toBeLessThanOrEqual(1);
      expect(outcome.reasons.length).toBeGreaterThan(0);
    }
  });

  it("gives the same answers when the whole set is classified 20 times", () => {
    const rounds = 20;
    const started = performance.now();
    for (let round = 0; round < rounds; round += 1) {
      for (const [index, prompt] of prompts.entries()) {
        // Every pattern must be stateless (no lingering lastIndex): the answer may not drift.
        expect(classifyByHeuristics(prompt.text).role).toBe(outcomes[index]!.role);
      }
    }
    const meanMilliseconds = (performance.now() - started) / (rounds * prompts.length);
    console.log(`classify: mean ${(meanMilliseconds * 1000).toFixed(1)} µs per call over ${rounds * prompts.length} calls (including the assertion)`);
  });

  it("uses only stateless patterns (no g or y flag), so no call can leak into the next", () => {
    for (const rule of patternRules) {
      expect(rule.pattern.global, rule.pattern.source).toBe(false);
      expect(rule.pattern.sticky, rule.pattern.source).toBe(false);
    }
  });

  it("classifies a 2 KB prompt and a 100 KB prompt", () => {
    const twoKilobytes = `${"I was thinking about what to cook tonight and whether to call my sister. ".repeat(27)}`.slice(0, 2048);
    const calls = 500;
    const started = performance.now();
    for (let call = 0; call < calls; call += 1) classifyByHeuristics(twoKilobytes);
    console.log(`classify: mean ${(((performance.now() - started) / calls) * 1000).toFixed(1)} µs per call on a 2 KB prompt`);
    expect(classifyByHeuristics(twoKilobytes).role).toBe("chat");
    const hugeLog = `${"ERROR 2024-05-01 worker crashed\n    at Worker.run (/srv/app/worker.js:12:7)\n".repeat(1500)}`;
    expect(classifyByHeuristics(hugeLog).role).toBe("code");
  });
});

function expectRole(text: string, role: HeuristicRole): void {
  const decision = classifyByHeuristics(text);
  expect(decision.role, `${shorten(text)} — ${decision.reasons.join("; ")}`).toBe(role);
}

describe("code signals", () => {
  it("a stack trace inside a Turkish message is code", () => {
    expectRole("şu hatayı alıyorum, nedenini anlamadım:\n\nTraceback (most recent call last):\n  File \"app.py\", line 3, in <module>\n    yas = int(girdi)\nValueError: invalid literal for int() with base 10: 'on'", "code");
    expect(classifyByHeuristics("TypeError: x is not a function\n    at Object.<anonymous> (/srv/app/index.js:10:5)").reasons).toContain("stack trace");
  });

  it("a python code block with no words is code, and names its language", () => {
    const decision = classifyByHeuristics("```python\ndef add(a, b):\n    return a + b\n```");
    expect(decision.role).toBe("code");
    expect(decision.reasons).toContain("code block (python)");
    expect(decision.confidence).toBeGreaterThanOrEqual(confidentThreshold);
    expectRole("```\nfor (let i = 0; i < 10; i++) {}\n```", "code");
  });

  it("recognises error messages, SQL, shell commands and config files", () => {
    expectRole("Error: Cannot find module 'express'", "code");
    expectRole("SELECT id, email FROM users WHERE created_at > NOW() - INTERVAL '1 day'", "code");
    expectRole("sudo systemctl restart nginx", "code");
    expectRole("ls -la | grep env", "code");
    expectRole("name: ci\non:\n  push:\n    branches: [main]\njobs:\n  build:\n    runs-on: ubuntu-latest", "code");
    expectRole('{"name": "mami", "version": "1.0.0", "type": "module"}', "code");
    expectRole("FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci", "code");
  });

  it("recognises inline code, identifiers and programming vocabulary in several languages", () => {
    expectRole("what does `Array.prototype.flat` do?", "code");
    expectRole("x = 5; y = 10; print(x + y)", "code");
    expectRole("was ist eine Closure in JavaScript?", "code");
    expectRole("pythonda sözlük nasıl sıralanır", "code");
    expectRole("как сделать запрос к базе данных в Django", "code");
  });
});

describe("logic signals", () => {
  it('"2x+3=7 ise x kaç?" is logic', () => {
    expectRole("2x+3=7 ise x kaç?", "logic");
  });

  it("LaTeX \\int is logic", () => {
    const decision = classifyByHeuristics("\\int_0^\\infty e^{-x^2}\\,dx");
    expect(decision.role).toBe("logic");
    expect(decision.reasons).toContain("LaTeX (\\int)");
  });

  it("recognises math symbols, arithmetic, percentages and number sequences", () => {
    expectRole("∑ 1/n² = ?", "logic");
    expectRole("what's 345 * 12?", "logic");
    expectRole("what is 20% of 150", "logic");
    expectRole("1, 3, 7, 15, 31, ?", "logic");
  });

  it("recognises proofs, probability and puzzles in several languages", () => {
    expectRole("prove that there are infinitely many primes", "logic");
    expectRole("what's the probability of drawing two aces in a row from a deck of cards", "logic");
    expectRole("¿cuál es la probabilidad de sacar dos caras seguidas?", "logic");
    expectRole("Berechne die Wahrscheinlichkeit, zweimal eine Sechs zu würfeln", "logic");
    expectRole("докажи, что корень из двух иррационален", "logic");
  });

  it("reads Turkish written without diacritics the same as with them", () => {
    const withDiacritics = classifyByHeuristics("x^3 ün türevi nedir");
    const withoutDiacritics = classifyByHeuristics("x^3 un turevi nedir");
    expect(withDiacritics.role).toBe("logic");
    expect(withoutDiacritics.role).toBe("logic");
    expect(withDiacritics.reasons).toContain("keyword: türev (tr)");
    expect(withoutDiacritics.reasons).toContain("keyword: türev (tr)");
    expectRole("bir tren saatte 80 km hizla gidiyor, 240 km yolu kac saatte alir", "logic");
  });
});

describe("chat signals", () => {
  it('"selam nasılsın" is chat', () => {
    const decision = classifyByHeuristics("selam nasılsın");
    expect(decision.role).toBe("chat");
    expect(decision.confidence).toBeGreaterThanOrEqual(confidentThreshold);
  });

  it("short greetings in every language are chat", () => {
    for (const greeting of ["hi", "selam", "slm naber", "hola", "moin", "привет", "good morning!", ""]) expectRole(greeting, "chat");
  });

  it("numbers in casual talk do not make it logic", () => {
    expectRole("I'm 25 and bored", "chat");
    expectRole("meet me at 10:30 tomorrow", "chat");
    expectRole("I work 24/7 lol", "chat");
  });

  it("talk about programming careers is chat, not code", () => {
    expectRole("is it worth doing a bootcamp or should I get a degree? I want a job as a developer", "chat");
    expectRole("yazılımcı maaşları türkiyede nasıl, kariyer için mantıklı mı?", "chat");
  });

  it("a long message with no signal at all is left to the model", () => {
    const decision = classifyByHeuristics(
      "so yesterday I went to the market and the woman at the stall told me the apples were from her own garden and I believed her, but then I saw the same crates at another stall and now I wonder what to make of it",
    );
    expect(decision.role).toBe("chat");
    expect(decision.confidence).toBeLessThan(confidentThreshold);
  });
});
