/**
 * `npx vitest run --config vitest.bench.config.ts test/bench/adversarial-text.bench.test.ts`:
 * whether reading text costs time linear in the text, whatever the text holds (issues 6 and 7).
 *
 * Every function that reads a whole message is timed on hostile inputs (one unit repeated, such as
 * a file of newlines or a line of "[", or a structured worst case such as a heading followed by
 * thousands of spaces) at sizes N, 2N, 4N and 8N, the largest being the most it is ever given:
 * - routing: `classifyByHeuristics`, each `PatternRule.pattern` on the view of the text it reads,
 *   and the other stages of the classifier (text preparation, keywords, YAML, numbers, premises).
 *   The classifier reads at most the first 16,384 characters of the routed text (prompt and
 *   attached files together, see `maximumCharactersRead` in classify.ts), so 16,384 is 8N.
 * - rendering: `splitMessage` and `splitMessageDetailed` at Telegram's and Discord's limits, and
 *   `markdownToTelegramHtml`, up to 100,000 characters. A reply is converted one 4,096-character
 *   part at a time, so the converter's realistic worst is also timed at 4,096.
 *
 * A linear function costs the same per character at every size. The check is the growth of that
 * cost from N to 8N: at most 3x, on the median of interleaved rounds, plus an absolute allowance
 * so that microseconds of noise on a call that does almost nothing cannot fail it. A quadratic
 * function grows 8x, and more at each doubling. A row that misses the bound is timed again at
 * 8N and 64N: beyond 8N a quadratic cost keeps growing, while V8 makes some linear functions step
 * up once and stay flat after. Such a row is reported as "stepped" and passes. (The classifier
 * reads 16 KB of any text, so its rows are timed again at their own sizes instead.)
 *
 * The step is where an array of one object per line outgrows 16,384 elements (128 KB, V8's
 * largest regular object): V8 keeps it apart from the young generation's pages, and the young
 * objects stored in it become dearer to collect. A loop that does nothing but build such an
 * array costs 4x more per line at 16,500 lines than at 16,000, and no more at 32,000; it is the
 * reference row of the rendering table. `splitMessage` on "a\n" lines crosses it at 25-50 KB.
 *
 * Times are the CPU time of the process (`process.cpuUsage`), not the wall clock: on a busy
 * machine the wall clock counts the time other processes had the core, which made the same row
 * read 1x in one run and 5x in the next. CPU time still counts the garbage collector's threads,
 * whose work is the function's own. On an idle machine the two agree.
 *
 * Last, the event loop is watched (`perf_hooks.monitorEventLoopDelay`) while the files of the
 * issue are routed from attachment to decision: 17 KB of newlines, 16 KB of digits, and a PDF
 * decompression bomb read through the worker-based extractor. No stall may exceed 100 ms. The
 * wall-clock stall is printed as measured; the check also reads, on Linux, how long the main
 * thread itself ran between two turns of the loop, which a busy machine cannot inflate.
 *
 * Set ADVERSARIAL_BENCH_ALL_ROWS=1 to print every row instead of the worst ones per function.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { prepareAttachments } from "../../src/core/attachments/prepare-attachments.js";
import type { CoreServices } from "../../src/core/services.js";
import { estimateTextTokens } from "../../src/core/models/token-estimate.js";
import { composeUserWords } from "../../src/core/pipeline/prepare.js";
import type { Attachment } from "../../src/core/request.js";
import { splitMessage, splitMessageDetailed } from "../../src/core/presentation/split-message.js";
import { markdownToTelegramHtml } from "../../src/adapters/telegram/telegram-html.js";
import { collectNumberCountSignal } from "../../src/core/routing/heuristics/arithmetic-signals.js";
import { patternRules } from "../../src/core/routing/heuristics/classify.js";
import { collectCodeFenceSignals } from "../../src/core/routing/heuristics/code-fence-signals.js";
import { collectYamlSignal } from "../../src/core/routing/heuristics/config-signals.js";
import { foldForMatching } from "../../src/core/routing/heuristics/fold-text.js";
import { classifyByHeuristics } from "../../src/core/routing/heuristics/index.js";
import { allKeywordLists } from "../../src/core/routing/heuristics/keywords/all-languages.js";
import { compileKeywordMatcher } from "../../src/core/routing/heuristics/keywords/keyword-matcher.js";
import type { PatternRule } from "../../src/core/routing/heuristics/pattern-rule.js";
import { prepareText, type PreparedText } from "../../src/core/routing/heuristics/prepared-text.js";
import { collectReasoningSignals } from "../../src/core/routing/heuristics/reasoning-signals.js";
import { createPdfTextExtractor } from "../../src/media/pdf-text-extractor.js";
import { bytesAttachment, chatRequest } from "../support/chat-request.js";
import { mainThreadSchedule, measureEventLoopDelay } from "../support/event-loop-delay.js";
import { makeTextBombPdf } from "../support/make-pdf.js";
import { median } from "../support/statistics.js";

// ---------------------------------------------------------------------------------------------
// What is measured and how hard

/** The most the classifier reads of a routed text (`maximumCharactersRead` in classify.ts). */
const largestRoutedCharacters = 16_384;
const routingSizes = [2_048, 4_096, 8_192, largestRoutedCharacters] as const;
/** The issue's size for rendering: a long answer before it is split. The converter only ever gets one part, but is held to the same growth. */
const largestRenderedCharacters = 100_000;
const renderingSizes = [12_500, 25_000, 50_000, largestRenderedCharacters] as const;
/** Telegram's limit: the converter's input on every streaming edit. */
const telegramPartCharacters = 4_096;

/** Per-character cost at 8N may be at most this many times the cost at N. */
const allowedGrowth = 3;
/**
 * Added to the time a call at 8N may take, in microseconds: a call that returns at once (a
 * pattern that fails on the first character, a text without fences) takes a fraction of a
 * microsecond at every size, and timer noise alone could triple it.
 */
const routingNoiseFloorMicroseconds = 25;
const renderingNoiseFloorMicroseconds = 250;
/** Rounds per size; sizes are interleaved within a round, so drift affects them all alike. */
const rounds = 5;
/** Rounds at 8N and 64N for a row that is timed beyond the largest size. */
const confirmationRounds = 5;
/** Each timed sample repeats the call until this much time has passed, so the timer's grain does not matter. */
const sampleMilliseconds = 0.5;
/** How far past the largest size a row that grew more than allowed is timed again. */
const confirmationFactor = 8;
/**
 * For such a row, per-character cost at 64N may be at most this many times the cost at 8N. A
 * cost with a quadratic part large enough to triple the per-character cost by 8N grows at least
 * 6x more by 64N (any quadratic part of 40% of the linear one at 8N grows more than 3x); a
 * one-time step (see the file comment) stays below 2.
 */
const allowedGrowthBeyond = 3;
/** See `SecondLookBudget`. */
const secondLookBudgetMilliseconds = 150_000;
/** A row over the bound is measured again only if one round of it took at most this long. */
const longestRoundRemeasuredMilliseconds = 500;
/** Past this a single call is hopeless: the larger sizes are not run and the row fails. */
const hopelessCallMilliseconds = 2_000;
/** Event-loop stalls longer than this are felt by every other chat. */
const maximumStallMilliseconds = 100;

const printAllRows = process.env["ADVERSARIAL_BENCH_ALL_ROWS"] === "1";

// ---------------------------------------------------------------------------------------------
// Adversarial inputs

interface InputFamily {
  readonly name: string;
  /** A text of exactly `length` UTF-16 code units. */
  readonly build: (length: number) => string;
}

/** `unit` repeated and cut to `length`, never leaving half a surrogate pair at the end. */
function repeatToLength(unit: string, length: number): string {
  const text = unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? `${text.slice(0, -1)}x` : text;
}

/** One unit repeated: the common shape of a hostile paste. */
function repeated(name: string, unit: string): InputFamily {
  return { name, build: (length) => repeatToLength(unit, length) };
}

/** A fixed opening and closing with `unit` repeated between them to fill the length. */
function framed(name: string, opening: string, unit: string, closing = ""): InputFamily {
  return { name, build: (length) => opening + repeatToLength(unit, length - opening.length - closing.length) + closing };
}

const sourceDirectory = new URL("../../src/", import.meta.url);
/** Mami's own sources, concatenated: TypeScript as people paste it. */
const codeFile = readdirSync(sourceDirectory, { recursive: true, encoding: "utf8" })
  .filter((path) => path.endsWith(".ts"))
  .sort()
  .map((path) => readFileSync(join(sourceDirectory.pathname, path), "utf8"))
  .join("\n");

/** What a model writes for a how-to question: headings, lists, emphasis, inline code, a code block, a table, links. */
const markdownAnswer = `## Setting up the worker

To run the worker you need **Node 20** and a *Redis* server. The steps below assume \`npm\` and a Unix shell; on Windows use WSL.

1. Clone the repository and install the dependencies:
   \`\`\`bash
   git clone https://example.com/worker.git && cd worker
   npm ci
   \`\`\`
2. Copy \`.env.example\` to \`.env\` and set \`REDIS_URL\`.
3. Start it with \`npm start\` — the first run builds \`dist/\`.

> **Note:** the worker retries failed jobs three times, with _exponential_ backoff, before it gives up.

| Setting | Default | Meaning |
|---|:-:|---|
| \`CONCURRENCY\` | 4 | jobs run at once |
| \`RETRIES\` | 3 | attempts per job |

- See the [documentation](https://example.com/docs "Docs") for details, or ~~the wiki~~ the FAQ.
- Questions? Write to <mailto:help@example.com>.

\`\`\`ts
export async function run(job: Job): Promise<void> {
  for (let attempt = 1; attempt <= retries; attempt += 1) {
    if (await job.try()) return;
    await sleep(2 ** attempt * 100);
  }
}
\`\`\`

---

`;

const stackTraceLog = "ERROR 2024-05-01T10:00:00Z worker crashed: TypeError: Cannot read properties of undefined (reading 'id')\n    at Worker.run (/srv/app/worker.js:12:7)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n";

const inputFamilies: readonly InputFamily[] = [
  // Line structure: every "^" and "$" of a multiline pattern, every line of a renderer.
  repeated("newlines", "\n"),
  repeated("blank lines with spaces", "   \n"),
  repeated("carriage returns only", "\r"),
  repeated("CRLF blank lines", "\r\n"),
  repeated("one line of spaces", " "),
  repeated("Unicode line separators", "a\u2028\u00a0"),
  repeated("'a' lines", "a\n"),
  // Numbers: unanchored "\d+" and the number-sequence rule.
  repeated("digits", "7"),
  repeated("digits with commas", "1,"),
  repeated("digits, comma and space", "1, "),
  repeated("digits, spaced comma", "1 , "),
  framed("matrix opening", "[[", "1, "),
  repeated("digits with letters", "1x "),
  // Markdown markers without partners.
  repeated("opening brackets", "["),
  repeated("links without destinations", "[a]("),
  repeated("escaped brackets", "\\["),
  repeated("underscore emphasis", "_a "),
  repeated("asterisk emphasis", "*a "),
  repeated("pipe lines", "|\n"),
  framed("table with a broken delimiter row", "| a |\n|", "---|", "x"),
  framed("heading of spaces", "# ", " ", "x"),
  // "." stops at "\r" where "\s" does not: a heading regex that could not reach the end of the
  // line tried every split of the spaces between its title and its trailing space.
  framed("heading, spaces, carriage return", "# a", " ", "\rx"),
  repeated("hashes", "#"),
  repeated("quote markers", ">"),
  repeated("dash bullets", "- "),
  repeated("autolink openings", "<https://a"),
  // Fences and backticks.
  repeated("fence words on one line", "``` "),
  repeated("fence lines", "```\n"),
  repeated("one backtick run", "`"),
  repeated("backtick runs", "`a``"),
  // Signs the pattern rules look for.
  repeated("dollar and caret", "$^"),
  framed("dollar then carets", "$", "^"),
  repeated("equals runs", "= "),
  repeated("sum without equals", "a + "),
  repeated("JSON nesting", '{ "a": '),
  repeated("Dockerfile lines", "FROM x\n"),
  repeated("Python stack frames", '    File "x", line 1\n'),
  repeated("SQL keywords", "SELECT "),
  framed("return and spaces", "return", " ", "x"),
  framed("statement block", "{", "a;"),
  repeated("snake case run", "a_"),
  repeated("camel case run", "abC"),
  repeated("dollar identifiers", "a$"),
  repeated("member chain", "a."),
  repeated("environment names", "A_"),
  repeated("arrows", "-> "),
  repeated("symbolic keywords", "c++ "),
  repeated("mixed Unicode", "Ça ıİ ß й 中文 é\u0301 😀 "),
  // Realistic texts, for scale.
  { name: "code file (Mami's sources)", build: (length) => repeatToLength(`${codeFile}\n`, length) },
  { name: "markdown answer", build: (length) => repeatToLength(markdownAnswer, length) },
  { name: "stack trace log", build: (length) => repeatToLength(stackTraceLog, length) },
];

// ---------------------------------------------------------------------------------------------
// Functions under test

interface RoutingInput {
  readonly text: string;
  readonly prepared: PreparedText;
}

interface FunctionUnderTest<Input> {
  readonly name: string;
  readonly run: (input: Input) => unknown;
  /** False for a reference row that is printed for comparison and held to no bound. */
  readonly bounded?: false;
}

/** A rule's reason as it reads in `mami route`, with "…" for the matched text. */
function reasonLabel(rule: PatternRule): string {
  if (typeof rule.reason === "string") return rule.reason;
  const standInMatch = /(?<call>…)/.exec("…");
  return standInMatch === null ? "" : rule.reason(standInMatch);
}

/**
 * Each rule alone, on the view it reads. The rule's `requires` shortcut is not applied: it would
 * hide a slow pattern behind inputs that lack one character, and a real message can contain it.
 */
function patternRuleFunctions(): FunctionUnderTest<RoutingInput>[] {
  const seen = new Map<string, number>();
  return patternRules.map((rule) => {
    const label = `${reasonLabel(rule)} [${rule.view}]`;
    const count = (seen.get(label) ?? 0) + 1;
    seen.set(label, count);
    const name = count === 1 ? `rule: ${label}` : `rule: ${label} #${count}`;
    return { name, run: (input) => rule.pattern.exec(input.prepared[rule.view]) };
  });
}

const keywordMatcher = compileKeywordMatcher(allKeywordLists);

const classifierFunction: FunctionUnderTest<RoutingInput> = { name: "classifyByHeuristics", run: (input) => classifyByHeuristics(input.text) };

/** The classifier's steps that are not pattern rules. */
const stageFunctions: readonly FunctionUnderTest<RoutingInput>[] = [
  { name: "stage: prepareText (fences, folding, words)", run: (input) => prepareText(input.text) },
  { name: "stage: foldForMatching (prose)", run: (input) => foldForMatching(input.prepared.prose) },
  { name: "stage: keyword matcher", run: (input) => keywordMatcher.collect(input.prepared, []) },
  { name: "stage: code fence signals", run: (input) => collectCodeFenceSignals(input.prepared, []) },
  { name: "stage: YAML signal", run: (input) => collectYamlSignal(input.prepared, []) },
  { name: "stage: number count signal", run: (input) => collectNumberCountSignal(input.prepared, []) },
  { name: "stage: quantified statements", run: (input) => collectReasoningSignals(input.prepared, []) },
];

/**
 * Not Mami's code: a loop that is linear by construction and keeps one small object per line
 * alive, as `splitMessage` does. Its row shows how far V8's heap alone moves the cost per
 * character between the sizes measured here; it is printed, and held to no bound.
 */
const linearReference: FunctionUnderTest<string> = {
  name: "reference: one object per line",
  bounded: false,
  run: (text) => {
    let start = 0;
    return text.split("\n").map((line) => {
      const record = { start, end: start + line.length, blank: line.trim() === "" };
      start = record.end + 1;
      return record;
    });
  },
};

const renderingFunctions: readonly FunctionUnderTest<string>[] = [
  { name: "splitMessage (Telegram 4096)", run: (text) => splitMessage(text, 4_096) },
  { name: "splitMessage (Discord 2000)", run: (text) => splitMessage(text, 2_000) },
  { name: "splitMessageDetailed (Telegram 4096)", run: (text) => splitMessageDetailed(text, 4_096) },
  { name: "splitMessageDetailed (Discord 2000)", run: (text) => splitMessageDetailed(text, 2_000) },
  { name: "markdownToTelegramHtml", run: (text) => markdownToTelegramHtml(text) },
];

// ---------------------------------------------------------------------------------------------
// Timing

/** The last result is kept here so that no call can be optimised away. */
const kept: { result: unknown } = { result: undefined };

/** CPU time used by this process so far, in microseconds (see the file comment). */
function cpuMicroseconds(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/** Microseconds of CPU per call: `calls` calls timed together. */
function timeCalls<Input>(run: (input: Input) => unknown, input: Input, calls: number): number {
  const startedAt = cpuMicroseconds();
  for (let call = 0; call < calls; call += 1) kept.result = run(input);
  return (cpuMicroseconds() - startedAt) / calls;
}

/**
 * Times `run` on each input (one per size), interleaving the sizes within each round, and
 * returns the median time per call at each size. A size whose call is hopelessly slow ends the
 * measurement there: that call is its time, and the larger sizes are left out.
 */
function measureSizes<Input>(run: (input: Input) => unknown, inputs: readonly Input[], roundCount: number): number[] {
  const callsPerSample: number[] = [];
  /** One warm call per size: the time of a size that gets no samples, when a later size is hopeless. */
  const warmCalls: number[] = [];
  const samples: number[][] = inputs.map(() => []);
  const hopelessAt = (index: number, microseconds: number): number[] => [
    ...samples.slice(0, index).map((values, smaller) => (values.length > 0 ? median(values) : (warmCalls[smaller] ?? microseconds))),
    microseconds,
  ];
  for (const [index, input] of inputs.entries()) {
    // The first call warms the function up (and flattens the string); unless it already fills a
    // sample, a second one, warm, sizes the samples.
    const warmUp = timeCalls(run, input, 1);
    const once = Math.max(warmUp >= sampleMilliseconds * 1_000 ? warmUp : timeCalls(run, input, 1), 1);
    if (once / 1_000 > hopelessCallMilliseconds) return hopelessAt(index, once);
    warmCalls.push(once);
    callsPerSample.push(Math.max(1, Math.min(10_000, Math.round((sampleMilliseconds * 1_000) / once))));
  }
  const ascending = inputs.map((_, index) => index);
  const descending = [...ascending].reverse();
  for (let round = 0; round < roundCount; round += 1) {
    // A sample pays for some of the garbage the one before it left; alternating the order spreads
    // that over the sizes instead of always charging the smallest for the largest.
    for (const index of round % 2 === 0 ? ascending : descending) {
      const input = inputs[index];
      if (input === undefined) continue;
      const microseconds = timeCalls(run, input, callsPerSample[index] ?? 1);
      // A cost that grows as the heap fills can pass the first call and not the later ones.
      if (microseconds / 1_000 > hopelessCallMilliseconds) return hopelessAt(index, microseconds);
      samples[index]?.push(microseconds);
    }
  }
  return samples.map((values) => median(values));
}

/** How one group of functions is measured. */
interface Measurement<Input> {
  readonly sizes: readonly number[];
  readonly noiseFloorMicroseconds: number;
  /** The function's input made from a text of a family: the text itself, or its prepared views. */
  readonly inputFor: (text: string) => Input;
  /**
   * A size past the largest, timed only for rows that grew more than allowed: a super-linear
   * function keeps growing there, a linear one whose cost stepped up once (see the file comment)
   * does not. Undefined where a larger text is not read whole (the classifier stops at 16 KB),
   * so that growth beyond the largest size would prove nothing.
   */
  readonly confirmationSize: number | undefined;
}

/** "stepped": above the bound at the largest size, but flat beyond it. */
type Verdict = "linear" | "stepped" | "super-linear" | "reference";

interface GrowthRow {
  readonly family: string;
  readonly functionName: string;
  readonly sizes: readonly number[];
  /** Median microseconds of CPU per call at each size; missing where a smaller size was already hopeless. */
  readonly microsecondsPerCall: readonly number[];
  /** Per-character cost at the largest size over the cost at the smallest. */
  readonly growth: number;
  /** Per-character cost at the confirmation size over the cost at the largest, when it was timed. */
  readonly growthBeyond?: number;
  readonly verdict: Verdict;
}

function perCharacter(row: GrowthRow, index: number): number | undefined {
  const microseconds = row.microsecondsPerCall[index];
  const size = row.sizes[index];
  return microseconds === undefined || size === undefined ? undefined : microseconds / size;
}

function worstCallMilliseconds(row: GrowthRow): number {
  return Math.max(...row.microsecondsPerCall) / 1_000;
}

/** Inputs of every family at every size of a measurement, built once and shared by its functions. */
class InputTable<Input> {
  private readonly inputs = new Map<InputFamily, Input[]>();
  private readonly confirmationInputs = new Map<InputFamily, Input>();

  constructor(private readonly measurement: Measurement<Input>) {}

  atSizes(family: InputFamily): Input[] {
    let inputs = this.inputs.get(family);
    if (inputs === undefined) {
      inputs = this.measurement.sizes.map((size) => this.measurement.inputFor(family.build(size)));
      this.inputs.set(family, inputs);
    }
    return inputs;
  }

  atConfirmationSize(family: InputFamily, confirmationSize: number): Input {
    let input = this.confirmationInputs.get(family);
    if (input === undefined) {
      input = this.measurement.inputFor(family.build(confirmationSize));
      this.confirmationInputs.set(family, input);
    }
    return input;
  }
}

/**
 * CPU time one test may spend timing rows again and beyond the largest size. A healthy run
 * spends 10 to 60 seconds of it, the most on a busy machine; a regression that makes dozens of
 * rows quadratic would otherwise take many minutes to confirm, and its rows fail unconfirmed.
 */
class SecondLookBudget {
  private remainingMicroseconds = secondLookBudgetMilliseconds * 1_000;
  private looks = 0;

  get exhausted(): boolean {
    return this.remainingMicroseconds <= 0;
  }

  /** How much of it was spent, for the table's footnote. */
  get summary(): string {
    const spentSeconds = (secondLookBudgetMilliseconds * 1_000 - this.remainingMicroseconds) / 1e6;
    return `${this.looks} second looks at rows over the bound took ${spentSeconds.toFixed(1)} s of CPU${this.exhausted ? " (budget spent: later rows were not confirmed)" : ""}`;
  }

  spend<Result>(work: () => Result): Result {
    this.looks += 1;
    const startedAt = cpuMicroseconds();
    try {
      return work();
    } finally {
      this.remainingMicroseconds -= cpuMicroseconds() - startedAt;
    }
  }
}

function growthRow<Input>(family: InputFamily, functionUnderTest: FunctionUnderTest<Input>, measurement: Measurement<Input>, inputs: InputTable<Input>, budget: SecondLookBudget): GrowthRow {
  const { sizes } = measurement;
  const smallest = sizes[0] ?? 1;
  const largest = sizes[sizes.length - 1] ?? 1;
  const evaluate = (microsecondsPerCall: readonly number[]): GrowthRow => {
    const first = microsecondsPerCall[0];
    const last = microsecondsPerCall[sizes.length - 1];
    const row = { family: family.name, functionName: functionUnderTest.name, sizes, microsecondsPerCall };
    if (first === undefined || last === undefined) return { ...row, growth: Number.POSITIVE_INFINITY, verdict: "super-linear" };
    const allowedAtLargest = allowedGrowth * first * (largest / smallest) + measurement.noiseFloorMicroseconds;
    return { ...row, growth: last / largest / (first / smallest), verdict: last <= allowedAtLargest ? "linear" : "super-linear" };
  };
  const first = evaluate(measureSizes(functionUnderTest.run, inputs.atSizes(family), rounds));
  if (functionUnderTest.bounded === false) return { ...first, verdict: "reference" };
  if (first.verdict === "linear" || !Number.isFinite(first.growth) || budget.exhausted) return first;

  // Beyond the largest size a quadratic cost keeps growing; a step, or noise that landed on one
  // size, does not. A call that would be hopeless there even if it were linear confirms nothing,
  // and a quadratic one could run for minutes before the limit stops it.
  const { confirmationSize } = measurement;
  const largestInput = inputs.atSizes(family)[sizes.length - 1];
  const atLargestMilliseconds = (first.microsecondsPerCall[sizes.length - 1] ?? Number.POSITIVE_INFINITY) / 1_000;
  if (confirmationSize !== undefined && largestInput !== undefined && atLargestMilliseconds * (confirmationSize / largest) <= hopelessCallMilliseconds) {
    const [atLargest, atConfirmation] = budget.spend(() => measureSizes(functionUnderTest.run, [largestInput, inputs.atConfirmationSize(family, confirmationSize)], confirmationRounds));
    if (atLargest === undefined || atConfirmation === undefined) return first;
    const growthBeyond = atConfirmation / confirmationSize / (atLargest / largest);
    return { ...first, growthBeyond, verdict: growthBeyond <= allowedGrowthBeyond ? "stepped" : "super-linear" };
  }
  // Where there is no looking beyond, work elsewhere on the machine or a collection of the heap
  // that landed on one size is ruled out by a second, longer measurement, which a super-linear
  // function fails too. A round that already takes long is not noise.
  const roundMilliseconds = first.microsecondsPerCall.reduce((sum, microseconds) => sum + microseconds, 0) / 1_000;
  if (roundMilliseconds > longestRoundRemeasuredMilliseconds) return first;
  const second = budget.spend(() => evaluate(measureSizes(functionUnderTest.run, inputs.atSizes(family), rounds * 2)));
  return second.growth < first.growth ? second : first;
}

// ---------------------------------------------------------------------------------------------
// Printing

function formatMicroseconds(value: number | undefined): string {
  if (value === undefined) return "—";
  return value.toFixed(value < 0.01 ? 5 : 4);
}

const verdictNotes: Record<Verdict, string> = {
  linear: "",
  stepped: "  stepped once, flat beyond",
  "super-linear": "  <-- super-linear",
  reference: "  (reference, no bound)",
};

function printTable(title: string, { rows, secondLooks }: { rows: readonly GrowthRow[]; secondLooks: string }, rowsPerFunction: number): void {
  const sizes = rows[0]?.sizes ?? [];
  const familyWidth = Math.max(6, ...rows.map((row) => row.family.length));
  const functionWidth = Math.max(8, ...rows.map((row) => row.functionName.length));
  const header =
    `${"family".padEnd(familyWidth)}  ${"function".padEnd(functionWidth)}  ` +
    `${sizes.map((size) => `µs/ch@${size}`.padStart(12)).join(" ")}  ${"growth".padStart(8)}  ${"worst call".padStart(11)}`;
  const shown = selectRows(rows, rowsPerFunction);
  const lines = shown.map((row) => {
    const costs = sizes.map((_, index) => formatMicroseconds(perCharacter(row, index)).padStart(12)).join(" ");
    const growth = Number.isFinite(row.growth) ? `${row.growth.toFixed(2)}x` : "hopeless";
    const beyond = row.growthBeyond === undefined ? "" : ` (${row.growthBeyond.toFixed(2)}x beyond)`;
    return (
      `${row.family.padEnd(familyWidth)}  ${row.functionName.padEnd(functionWidth)}  ${costs}  ${growth.padStart(8)}  ` +
      `${`${worstCallMilliseconds(row).toFixed(3)} ms`.padStart(11)}${verdictNotes[row.verdict]}${beyond}`
    );
  });
  const omitted = rows.length - shown.length;
  const note = `(${omitted > 0 ? `${omitted} more rows within bounds not shown; ADVERSARIAL_BENCH_ALL_ROWS=1 prints them. ` : ""}${secondLooks})\n`;
  process.stdout.write(`\n[bench] ${title}\n${header}\n${lines.join("\n")}\n${note}`);
}

/** Per function, the rows that grew most; a row that was not plainly linear is always shown. */
function selectRows(rows: readonly GrowthRow[], rowsPerFunction: number): GrowthRow[] {
  if (printAllRows) return [...rows];
  const byFunction = new Map<string, GrowthRow[]>();
  for (const row of rows) byFunction.set(row.functionName, [...(byFunction.get(row.functionName) ?? []), row]);
  const shown: GrowthRow[] = [];
  for (const functionRows of byFunction.values()) {
    const worstFirst = [...functionRows].sort((left, right) => right.growth - left.growth);
    shown.push(...worstFirst.filter((row, index) => index < rowsPerFunction || row.verdict === "stepped" || row.verdict === "super-linear"));
  }
  return shown;
}

function superLinearRows(rows: readonly GrowthRow[]): string[] {
  return rows.filter((row) => row.verdict === "super-linear").map((row) => `${row.functionName} on ${row.family}: growth ${row.growth.toFixed(2)}x`);
}

// ---------------------------------------------------------------------------------------------
// The measurements

const routing: Measurement<RoutingInput> = {
  sizes: routingSizes,
  noiseFloorMicroseconds: routingNoiseFloorMicroseconds,
  inputFor: (text) => ({ text, prepared: prepareText(text) }),
  confirmationSize: confirmationFactor * largestRoutedCharacters,
};
/** The classifier reads 16 KB whatever it is given: a larger text shows nothing about its growth. */
const routingUpToTheCap: Measurement<RoutingInput> = { ...routing, confirmationSize: undefined };
const rendering: Measurement<string> = {
  sizes: renderingSizes,
  noiseFloorMicroseconds: renderingNoiseFloorMicroseconds,
  inputFor: (text) => text,
  confirmationSize: confirmationFactor * largestRenderedCharacters,
};

const routingInputs = new InputTable(routing);
const renderingInputs = new InputTable(rendering);

function rowsFor<Input>(functions: readonly FunctionUnderTest<Input>[], measurement: Measurement<Input>, inputs: InputTable<Input>): { rows: GrowthRow[]; secondLooks: string } {
  const budget = new SecondLookBudget();
  const rows = functions.flatMap((functionUnderTest) => inputFamilies.map((family) => growthRow(family, functionUnderTest, measurement, inputs, budget)));
  return { rows, secondLooks: budget.summary };
}

describe("reading text costs time linear in the text", () => {
  it("inputs have the sizes they claim", () => {
    for (const family of inputFamilies) {
      for (const size of [...routingSizes, ...renderingSizes, telegramPartCharacters]) expect(family.build(size), family.name).toHaveLength(size);
    }
  });

  it(`routing: classifyByHeuristics up to ${largestRoutedCharacters} characters`, () => {
    const timed = rowsFor([classifierFunction], routingUpToTheCap, routingInputs);
    const { rows } = timed;
    printTable(`classifyByHeuristics, sizes up to the ${largestRoutedCharacters} characters it reads (CPU time)`, timed, inputFamilies.length);

    const slowest = rows.reduce((worst, row) => (worstCallMilliseconds(row) > worstCallMilliseconds(worst) ? row : worst));
    process.stdout.write(`[bench] slowest routing of ${largestRoutedCharacters} characters: ${worstCallMilliseconds(slowest).toFixed(2)} ms (${slowest.family})\n`);
    // Past the cap, more text costs nothing more: the classifier reads the first 16 KB only.
    const log = repeatToLength(stackTraceLog, 8 * largestRoutedCharacters);
    const [atCap = 0, farBeyondCap = 0] = measureSizes(classifyByHeuristics, [log.slice(0, largestRoutedCharacters), log], rounds);
    process.stdout.write(`[bench] classifyByHeuristics on a log of ${largestRoutedCharacters} characters: ${(atCap / 1_000).toFixed(2)} ms; of ${log.length}: ${(farBeyondCap / 1_000).toFixed(2)} ms\n`);

    expect(superLinearRows(rows)).toEqual([]);
  });

  it("routing: every pattern rule on the view it reads", () => {
    const timed = rowsFor(patternRuleFunctions(), routing, routingInputs);
    printTable("pattern rules, each on its view of the text (CPU time; worst 2 families per rule)", timed, 2);
    expect(superLinearRows(timed.rows)).toEqual([]);
  });

  it("routing: the classifier's other stages", () => {
    const timed = rowsFor(stageFunctions, routing, routingInputs);
    printTable("classifier stages (CPU time; worst 3 families per stage)", timed, 3);
    expect(superLinearRows(timed.rows)).toEqual([]);
  });

  it(`rendering: splitting and converting up to ${largestRenderedCharacters} characters`, () => {
    const timed = rowsFor([...renderingFunctions, linearReference], rendering, renderingInputs);
    const { rows } = timed;
    printTable(`rendering, sizes up to ${largestRenderedCharacters} characters (CPU time; worst 6 families per function)`, timed, 6);
    for (const functionUnderTest of renderingFunctions) {
      const slowest = rows.filter((row) => row.functionName === functionUnderTest.name).reduce((worst, row) => (worstCallMilliseconds(row) > worstCallMilliseconds(worst) ? row : worst));
      process.stdout.write(`[bench] ${functionUnderTest.name}, slowest call at ${largestRenderedCharacters} characters: ${worstCallMilliseconds(slowest).toFixed(2)} ms (${slowest.family})\n`);
    }

    // What a streaming edit really pays: one Telegram part converted.
    const partTimes = inputFamilies.map((family) => {
      const [microseconds = 0] = measureSizes(markdownToTelegramHtml, [family.build(telegramPartCharacters)], rounds);
      return { family: family.name, milliseconds: microseconds / 1_000 };
    });
    const slowestParts = [...partTimes].sort((left, right) => right.milliseconds - left.milliseconds).slice(0, 5);
    process.stdout.write(
      `[bench] markdownToTelegramHtml on one ${telegramPartCharacters}-character part, slowest: ${slowestParts.map((part) => `${part.family} ${part.milliseconds.toFixed(3)} ms`).join("; ")}\n`,
    );

    expect(superLinearRows(rows)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The event loop while the issue's files are routed

/** The issue's files: how a chat sends them. */
const questionAboutFile = "What is in this file?";

interface RoutedFile {
  readonly label: string;
  readonly attachment: Attachment;
  /** How many messages with this file are routed one after another. */
  readonly messages: number;
}

/** Milliseconds the main thread has run (see `mainThreadSchedule`), or of wall clock where that is unknown. */
function mainThreadMilliseconds(): number {
  return mainThreadSchedule()?.runningMs ?? performance.now();
}

/**
 * Attachment to routing decision, as the pipeline does it: read and label the file, compose the
 * user's turn, estimate its tokens, classify it. Returns how long the synchronous part, which
 * holds the event loop, ran.
 */
async function routeMessageWithFile(attachment: Attachment, services: CoreServices): Promise<number> {
  const request = chatRequest(questionAboutFile, { attachments: [attachment] });
  const prepared = await prepareAttachments(request.attachments, services, undefined);
  const startedAt = mainThreadMilliseconds();
  // As prepare.ts composes it: the user's words, then each file labelled with its name.
  const userText = [composeUserWords(request, prepared, false), ...prepared.documents].filter((section) => section !== "").join("\n\n");
  kept.result = estimateTextTokens(userText);
  const decision = classifyByHeuristics(userText);
  const synchronousMs = mainThreadMilliseconds() - startedAt;
  expect(decision.role).toMatch(/^(?:chat|logic|code)$/);
  return synchronousMs;
}

describe("the event loop keeps turning while hostile files are routed", () => {
  const services = { documents: createPdfTextExtractor() } as unknown as CoreServices;
  const files: readonly RoutedFile[] = [
    { label: "17 KB of newlines (text file)", attachment: bytesAttachment("newlines.txt", "text/plain", new TextEncoder().encode("\n".repeat(17 * 1024))), messages: 200 },
    { label: "16 KB of digits (text file)", attachment: bytesAttachment("digits.txt", "text/plain", new TextEncoder().encode("7".repeat(16 * 1024))), messages: 200 },
    { label: "PDF bomb (worker extractor)", attachment: bytesAttachment("bomb.pdf", "application/pdf", makeTextBombPdf({ linesPerPage: 200_000 })), messages: 2 },
  ];

  it.each(files)("$label", async (file) => {
    let longestSynchronousMs = 0;
    const delay = await measureEventLoopDelay(async () => {
      for (let message = 0; message < file.messages; message += 1) {
        longestSynchronousMs = Math.max(longestSynchronousMs, await routeMessageWithFile(file.attachment, services));
        // Other chats get their turn between two messages, as they would in the bot.
        await nextTurn();
      }
    });

    const schedule =
      delay.maxWhileRunning === undefined || delay.waitingForCoreMs === undefined
        ? ""
        : ` (counting the main thread's running time only: max ${delay.maxWhileRunning.toFixed(0)} ms; it waited ${delay.waitingForCoreMs.toFixed(0)} ms in all for a core)`;
    process.stdout.write(
      `\n[bench] ${`${file.label}, ${file.messages} messages`.padEnd(48)} ${delay.ms.toFixed(0).padStart(6)} ms in all; ` +
        `event-loop stall p99 ${delay.p99.toFixed(0)} ms, max ${delay.max.toFixed(0)} ms${schedule}; longest compose + classify ${longestSynchronousMs.toFixed(2)} ms\n`,
    );
    // What Mami holds the loop for must stay under the target on any machine. The wall-clock
    // stall can only be judged less the time the machine kept the core from this process.
    expect(delay.maxWhileRunning ?? delay.max).toBeLessThan(maximumStallMilliseconds);
    expect(delay.max - (delay.waitingForCoreMs ?? 0)).toBeLessThan(maximumStallMilliseconds);
    expect(longestSynchronousMs).toBeLessThan(maximumStallMilliseconds);
  });
});
