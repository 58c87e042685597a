#!/usr/bin/env node
// Prints how the offline router does on the labelled prompt sets: accuracy per language and per
// role, how many decisions are confident, and every miss with its reasons.
//
//   node scripts/evaluate-router.mjs                 every test/data/routing-prompts*.json
//   node scripts/evaluate-router.mjs FILE...         only those files
//   --misses                                         also list every misclassified prompt
//
// The heuristics are TypeScript; esbuild (already a dev dependency) bundles them into a temporary
// folder first, so this runs on a fresh checkout without a build and without a TypeScript loader.
import { build } from "esbuild";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repositoryRoot = fileURLToPath(new URL("../", import.meta.url));
const dataFolder = join(repositoryRoot, "test/data");

/**
 * @typedef {{ text: string, role: string, language: string }} LabelledPrompt
 * @typedef {{ role: string, confidence: number, reasons: readonly string[] }} Decision
 * @typedef {{ classifyByHeuristics: (text: string) => Decision, confidentThreshold: number }} Heuristics
 */

/** @returns {Promise<Heuristics>} */
async function loadHeuristics() {
  const folder = await mkdtemp(join(tmpdir(), "mami-router-"));
  try {
    const outfile = join(folder, "heuristics.mjs");
    await build({ entryPoints: [join(repositoryRoot, "src/core/routing/heuristics/index.ts")], bundle: true, format: "esm", platform: "node", outfile, logLevel: "error" });
    /** @type {unknown} */
    const loaded = await import(pathToFileURL(outfile).href);
    return /** @type {Heuristics} */ (loaded);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** @param {number} correct @param {number} total */
function cell(correct, total) {
  return total === 0 ? "" : `${((correct / total) * 100).toFixed(0)}% (${correct}/${total})`;
}

/**
 * @param {string} name
 * @param {readonly LabelledPrompt[]} prompts
 * @param {Heuristics} heuristics
 * @param {boolean} listMisses
 */
function report(name, prompts, heuristics, listMisses) {
  const outcomes = prompts.map((prompt) => {
    const decision = heuristics.classifyByHeuristics(prompt.text);
    return { prompt, decision, correct: decision.role === prompt.role };
  });
  const roles = [...new Set(prompts.map((prompt) => prompt.role))];
  const languages = [...new Set(prompts.map((prompt) => prompt.language))];
  /** @param {(outcome: (typeof outcomes)[number]) => boolean} keep */
  const score = (keep) => {
    const subset = outcomes.filter(keep);
    return cell(subset.filter((outcome) => outcome.correct).length, subset.length);
  };
  const rows = [["language", "all", ...roles]];
  for (const language of languages) {
    rows.push([language, score((outcome) => outcome.prompt.language === language), ...roles.map((role) => score((outcome) => outcome.prompt.language === language && outcome.prompt.role === role))]);
  }
  rows.push(["all", score(() => true), ...roles.map((role) => score((outcome) => outcome.prompt.role === role))]);
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  const confident = outcomes.filter((outcome) => outcome.decision.confidence >= heuristics.confidentThreshold);
  const lines = [`\n${name}: ${prompts.length} prompts`, ...rows.map((row) => `  ${row.map((text, column) => text.padEnd(widths[column] ?? 0)).join("  ")}`)];
  lines.push(`  confident (>= ${heuristics.confidentThreshold}): coverage ${cell(confident.length, outcomes.length)}, accuracy ${cell(confident.filter((outcome) => outcome.correct).length, confident.length)}`);
  if (listMisses) {
    for (const outcome of outcomes.filter((candidate) => !candidate.correct)) {
      lines.push(`  [${outcome.prompt.language}] expected ${outcome.prompt.role}, got ${outcome.decision.role} (${outcome.decision.confidence}) "${outcome.prompt.text.replace(/\s+/g, " ").slice(0, 90)}" — ${outcome.decision.reasons.join("; ")}`);
    }
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

const argumentsGiven = process.argv.slice(2);
const listMisses = argumentsGiven.includes("--misses");
const named = argumentsGiven.filter((argument) => argument !== "--misses");
const files = named.length > 0 ? named : (await readdir(dataFolder)).filter((file) => file.startsWith("routing-prompts") && file.endsWith(".json")).sort().map((file) => join(dataFolder, file));
const heuristics = await loadHeuristics();
for (const file of files) {
  /** @type {unknown} */
  const parsed = JSON.parse(await readFile(file, "utf8"));
  const prompts = /** @type {LabelledPrompt[]} */ (parsed);
  report(relative(repositoryRoot, file), prompts, heuristics, listMisses);
}
