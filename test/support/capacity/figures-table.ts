import type { LoggedLine } from "../recording-logger.js";
import type { AccountingBelief } from "./accounting-watch.js";
import type { QuotaViewGap } from "./quota-view-watch.js";
import { median } from "../statistics.js";
import { arrivalSliceMs, type AnsweredAgainstCeiling, type ScenarioFigures } from "./scenario-figures.js";

/** The issue's targets; printed next to each figure, never asserted (a bench measures). */
export const targets = {
  shareOfCeiling: 0.9,
  lost: 0,
  rateLimitedShare: 0.01,
  reservedPerUsed: 1.5,
  telegramDifference: 0.05,
} as const;

const mark = (met: boolean): string => (met ? "✓" : "✗");
const percent = (value: number): string => (Number.isFinite(value) ? `${(100 * value).toFixed(1)}%` : "n/a");
const seconds = (milliseconds: number): string => (Number.isFinite(milliseconds) ? `${(milliseconds / 1000).toFixed(1)} s` : "n/a");

export function shareOfFirstMinute(figures: ScenarioFigures): number {
  return figures.answeredInFirstMinute / figures.oracle.firstMinute;
}

export function shareOfHorizon(figures: ScenarioFigures): number {
  return figures.outcomes.answered_complete / figures.oracle.withinDeadlines;
}

function rateLimitedShare(figures: ScenarioFigures): number {
  return (figures.upstream.rateLimited + figures.upstream.tooLarge) / figures.upstream.calls;
}

export const ceilingExplanation = [
  "Oracle ceiling: an oracle scheduler that knew every answer's length in advance charges each message",
  "exactly its prompt (the user's text plus the shortest system prompt Mami sent) plus its real answer tokens",
  "plus, on the model it picks, the hidden reasoning that model spends even at its lowest effort (gpt-oss at",
  "\"low\": one sentence; qwen at \"none\": nothing), and takes messages in arrival order, each as early as any",
  "live answer model's published limits allow (RPM, TPM on a sliding 60 s window; RPD, TPD over 24 h; as the",
  "fake Groq enforces them), answering in zero time and spending nothing on safety screens or routing. Two",
  "such schedulers run, and each figure takes the best: one never lets a later message delay an earlier one;",
  "one lets a later message go ahead where the first waiting message still starts when it would have",
  "(backfilling, as Mami's queue does). Each also runs giving a message up after 50% to 100% of its deadline:",
  "starting every message however late can fill the minutes later ones needed.",
  "First minute = messages it completes by 60 s after",
  "the burst's start; horizon = messages it completes within their own 60 s deadlines. Mami's share = its",
  "complete answers (by 60 s after the start, resp. within each message's deadline) / the oracle's.",
  "Reasoning beyond a model's lowest effort (the effort Mami asks for some roles) is not in the oracle; each",
  "scenario's details also give the ceiling without any reasoning, as it was measured before.",
].join("\n");

export function figuresTable(rows: readonly ScenarioFigures[]): string {
  const header = [
    "| scenario | answered complete (by deadline) | by 60 s | share of ceiling, first minute | share of ceiling, horizon | told busy | lost: late answer / late busy / other late / none | incomplete / refused / other errors | provider 429s + 413s | reserved per used: answers (all calls) | continuations per answer | time to answer p50 / p95 | queue notices |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  const lines = rows.map((row) => {
    const cells = [
      row.name,
      `${row.outcomes.answered_complete} / ${row.offered}`,
      `${row.answeredInFirstMinute} (ceiling ${row.oracle.firstMinute})`,
      `${percent(shareOfFirstMinute(row))} ${mark(shareOfFirstMinute(row) >= targets.shareOfCeiling)}`,
      `${percent(shareOfHorizon(row))} ${mark(shareOfHorizon(row) >= targets.shareOfCeiling)} (ceiling ${row.oracle.withinDeadlines})`,
      String(row.outcomes.told_busy),
      `${row.outcomes.lost} ${mark(row.outcomes.lost <= targets.lost)}: ${row.lost.late_answer} / ${row.lost.late_busy} / ${row.lost.late_other} / ${row.lost.no_reply}`,
      `${row.outcomes.answered_incomplete} / ${row.outcomes.refused} / ${row.outcomes.other_error}`,
      `${row.upstream.rateLimited + row.upstream.tooLarge} of ${row.upstream.calls} (${percent(rateLimitedShare(row))}) ${mark(rateLimitedShare(row) < targets.rateLimitedShare)}`,
      `${row.upstream.reservedPerUsedAnswers.toFixed(2)}x ${mark(row.upstream.reservedPerUsedAnswers <= targets.reservedPerUsed)} (${row.upstream.reservedPerUsedAll.toFixed(2)}x)`,
      row.continuationsPerAnswer.toFixed(2),
      `${seconds(row.timeToAnswerMs.p50)} / ${seconds(row.timeToAnswerMs.p95)}`,
      `${row.queueNotices} (then answered ${row.queuedThenAnswered}, busy ${row.queuedThenBusy})`,
    ];
    return `| ${cells.join(" | ")} |`;
  });
  return [...header, ...lines].join("\n");
}

/** A figure's mean over the runs of one scenario. */
export function meanOf(runs: readonly ScenarioFigures[], figure: (run: ScenarioFigures) => number): number {
  return runs.reduce((total, run) => total + figure(run), 0) / runs.length;
}

/**
 * One scenario over every workload it ran: the mean share of each ceiling, with the worst and
 * best workload, since a target met on one workload and missed on another is not met.
 */
export function acrossWorkloads(name: string, runs: readonly ScenarioFigures[]): string {
  const spread = (figure: (run: ScenarioFigures) => number): string => {
    const values = runs.map(figure);
    const average = meanOf(runs, figure);
    return `${percent(average)} ${mark(average >= targets.shareOfCeiling)} (${percent(Math.min(...values))} to ${percent(Math.max(...values))})`;
  };
  // Judged on the mean, as the shares are: a burst's figure is one trajectory of a schedule a
  // few milliseconds can tip; how many workloads were above is said beside it.
  const reserved = runs.map((run) => run.upstream.reservedPerUsedAnswers);
  const reservedMean = meanOf(runs, (run) => run.upstream.reservedPerUsedAnswers);
  const above = reserved.filter((value) => value > targets.reservedPerUsed).length;
  const lost = runs.reduce((total, run) => total + run.outcomes.lost, 0);
  const rateLimited = runs.reduce((total, run) => total + run.upstream.rateLimited + run.upstream.tooLarge, 0);
  const calls = runs.reduce((total, run) => total + run.upstream.calls, 0);
  return [
    `[bench] ${name}, over ${runs.length} workload${runs.length === 1 ? "" : "s"}:`,
    `  share of ceiling, first minute: ${spread(shareOfFirstMinute)}`,
    `  share of ceiling, horizon: ${spread(shareOfHorizon)}`,
    `  tokens reserved per token used, answers: ${reservedMean.toFixed(2)}x ${mark(reservedMean <= targets.reservedPerUsed)} (${Math.min(...reserved).toFixed(2)}x to ${Math.max(...reserved).toFixed(2)}x; ${above} of ${runs.length} above ${targets.reservedPerUsed}x)`,
    `  lost: ${lost} ${mark(lost <= targets.lost)}; provider 429s + 413s: ${rateLimited} of ${calls} calls (${percent(rateLimited / calls)}) ${mark(rateLimited / calls < targets.rateLimitedShare)}`,
  ].join("\n");
}

/**
 * The Telegram runs against the same scenario in-process, on the same workloads: the issue asks
 * for the same figures within 5%. Each side is the mean over its workloads: one run moves by a
 * few messages (the fake streams in real time), as much as the difference being measured.
 */
export function telegramComparison(inProcessName: string, inProcess: readonly ScenarioFigures[], telegramName: string, telegram: readonly ScenarioFigures[]): string {
  const compare = (label: string, figure: (run: ScenarioFigures) => number, shown: (value: number) => string): string => {
    const ours = meanOf(inProcess, figure);
    const theirs = meanOf(telegram, figure);
    const difference = ours === 0 ? (theirs === 0 ? 0 : 1) : Math.abs(theirs - ours) / ours;
    return `  ${label}: in-process ${shown(ours)}, through Telegram ${shown(theirs)} (difference ${percent(difference)} ${mark(difference <= targets.telegramDifference)})`;
  };
  const count = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(1));
  const runs = (figures: readonly ScenarioFigures[]): string => `${figures.length} workload${figures.length === 1 ? "" : "s"}`;
  return [
    `[bench] ${telegramName} (mean of ${runs(telegram)}) against ${inProcessName} (mean of ${runs(inProcess)}):`,
    compare("answered complete by deadline", (run) => run.outcomes.answered_complete, count),
    compare("answered complete by 60 s", (run) => run.answeredInFirstMinute, count),
    compare("told busy", (run) => run.outcomes.told_busy, count),
    compare("lost", (run) => run.outcomes.lost, count),
    compare("share of ceiling, first minute", shareOfFirstMinute, percent),
    compare("share of ceiling, horizon", shareOfHorizon, percent),
    compare("tokens reserved per token used, answers", (run) => run.upstream.reservedPerUsedAnswers, (value) => `${value.toFixed(2)}x`),
  ].join("\n");
}

/** What else a reader of one run wants: the calls by purpose, the budgets asked per role, what the logs said. */
export function scenarioDetails(figures: ScenarioFigures, logs: readonly LoggedLine[], accounting: readonly AccountingBelief[], quotaView: readonly QuotaViewGap[], startedAt: number): string {
  const beliefs = accounting
    .map((belief) => `${belief.model} ${belief.accounting}${belief.learnedAt === undefined ? "" : ` (from ${seconds(belief.learnedAt - startedAt)})`}`)
    .join("; ");
  const refused = [...figures.upstream.refusedBy].map(([what, count]) => `${count}× ${what}`).join("; ");
  const otherErrors = [...figures.otherErrorTexts].map(([text, count]) => `${count}× "${text}"`).join("; ");
  const budgets = [...figures.upstream.budgetsByRole]
    .map(([role, values]) => `${role} median ${median(values)} (${Math.min(...values)}–${Math.max(...values)}, ${values.length} calls)`)
    .join("; ");
  const logCounts = new Map<string, number>();
  for (const line of logs) {
    if (line.level === "debug" || line.level === "info") continue;
    const key = `${line.level}: ${line.message}`;
    logCounts.set(key, (logCounts.get(key) ?? 0) + 1);
  }
  const logSummary = [...logCounts].sort((first, second) => second[1] - first[1]).map(([message, count]) => `${count}× ${message}`).join("; ");
  return [
    `[bench] ${figures.name}:`,
    `  oracle ceiling: ${figures.oracle.firstMinute} in the first minute, ${figures.oracle.withinDeadlines} within deadlines (system prompt allowance ${figures.systemPromptAllowance} tokens)`,
    `  ceiling without the reasoning the models cannot skip: ${figures.oracleWithoutReasoning.firstMinute} in the first minute, ${figures.oracleWithoutReasoning.withinDeadlines} within deadlines (Mami's share ${share(figures.answeredInFirstMinute, figures.oracleWithoutReasoning.firstMinute)} / ${share(figures.outcomes.answered_complete, figures.oracleWithoutReasoning.withinDeadlines)})`,
    `  if Groq keeps reservations, knowing only each kind's answer lengths (budgets ${[...figures.distributionAware.budgetByKind].map(([kind, budget]) => `${kind} ${budget}`).join(", ")}): ${figures.distributionAware.firstMinute} in the first minute, ${figures.distributionAware.withinDeadlines} within deadlines; Mami's share of that ${share(figures.answeredInFirstMinute, figures.distributionAware.firstMinute)} / ${share(figures.outcomes.answered_complete, figures.distributionAware.withinDeadlines)}`,
    `  successful calls: ${figures.upstream.answerCalls} answer, ${figures.upstream.safetyCalls} safety, ${figures.upstream.routerCalls} router; ${figures.upstream.rateLimited} answered 429, ${figures.upstream.tooLarge} answered 413`,
    `  late final replies: ${figures.latenessMs.length === 0 ? "none" : `${figures.latenessMs.length}, median ${Math.round(median(figures.latenessMs))} ms after the deadline (most ${Math.round(Math.max(...figures.latenessMs))} ms)`}`,
    `  provider refusals: ${refused === "" ? "none" : refused}`,
    `  other errors shown: ${otherErrors === "" ? "none" : otherErrors}`,
    `  how Mami counted finished calls at the end: ${beliefs}`,
    `  ${firstMinuteLine(figures)}`,
    `  ${againstCeilingLine(figures)}`,
    `  tokens free this minute that Groq had and Mami did not see, every 0.5 s: ${quotaView.map((gap) => `${gap.model} ${Math.round(gap.meanTokensUnseen)} on average (most ${Math.round(gap.largestTokensUnseen)})`).join("; ")}`,
    `  completion budgets asked: ${budgets === "" ? "none" : budgets}`,
    `  warnings and errors logged: ${logSummary === "" ? "none" : logSummary}`,
  ].join("\n");
}

/** Which messages Mami answered where the ceiling's schedule did, by kind and by arrival. */
function againstCeilingLine(figures: ScenarioFigures): string {
  const group = ({ answered, ceiling, offered }: AnsweredAgainstCeiling): string => `${answered} against ${ceiling} of ${offered}`;
  const byKind = [...figures.againstCeiling.byKind]
    .sort(([first], [second]) => first.localeCompare(second))
    .map(([kind, counts]) => `${kind} ${group(counts)}`)
    .join("; ");
  const byArrival = [...figures.againstCeiling.byArrival]
    .sort(([first], [second]) => first - second)
    .map(([fromMs, counts]) => `${fromMs / 1000}–${(fromMs + arrivalSliceMs) / 1000} s ${group(counts)}`)
    .join("; ");
  return `answered complete, against the ceiling's schedule, of those offered: by kind ${byKind}; by arrival ${byArrival}`;
}

/** The first minute's tokens by what they bought; the rest is reasoning (all of it: the prices here leave it out) and system prompts beyond the oracle's allowance. */
function firstMinuteLine(figures: ScenarioFigures): string {
  const { capacity, admitted, completeAnswersAtOraclePrice, continuations, unfinishedAnswers } = figures.firstMinuteTokens;
  const rest = admitted - completeAnswersAtOraclePrice - continuations - unfinishedAnswers;
  return `first minute on the answer models: ${admitted} of ${capacity} tokens admitted by 60 s; the answers complete by then are worth ${completeAnswersAtOraclePrice} at the oracle's prices without reasoning; continuations ${continuations}; first calls of answers not complete by 60 s ${unfinishedAnswers}; the rest (reasoning, system prompts beyond the allowance) ${rest}`;
}

function share(part: number, whole: number): string {
  return `${((100 * part) / Math.max(1, whole)).toFixed(1)}%`;
}
