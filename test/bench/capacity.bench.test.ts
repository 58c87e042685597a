/**
 * `npm run bench`: how much of the ceiling that the organization's free-tier limits allow Mami
 * actually serves, in a burst like real use, in real time.
 *
 * 160 messages from 40 private chats arrive over 25 s (seeded: chat, code, logic and math, and
 * long pasted texts to summarise). The fake Groq answers each with an answer of a seeded length
 * (50 to 900 tokens) and cuts it, with finish_reason "length", where a call's completion budget
 * ends. Each message has a 60 s deadline from its arrival. The ceiling comes from an oracle that
 * knew every answer's length (support/capacity/oracle.ts), never from Mami's own budgets.
 *
 * The in-process scenario also runs on virtual time, on forty workloads (a few minutes): the
 * same workload plays nearly the same way every time, so that mean is the figure to compare changes by.
 *
 * The bench prints figures and checks only what must always hold: every message accounted for
 * exactly once, none answered twice, nothing served far beyond the oracle's ceiling. The issue's
 * targets are printed with ✓ / ✗ next to each figure.
 */
import { describe, expect, it } from "vitest";
import { liveAnswerModelIds, oracleModels, singleModelId } from "../support/capacity/bench-models.js";
import { defaultBurstTiming } from "../support/capacity/burst-timing.js";
import { acrossWorkloads, ceilingExplanation, figuresTable, meanOf, scenarioDetails, telegramComparison } from "../support/capacity/figures-table.js";
import { mamiDefaultSettings, singleModelSettings } from "../support/capacity/mami-settings.js";
import { outcomes } from "../support/capacity/message-outcome.js";
import { oracleCeiling } from "../support/capacity/oracle.js";
import { runScenario, type Scenario } from "../support/capacity/run-scenario.js";
import { oracleMessages, type ScenarioFigures } from "../support/capacity/scenario-figures.js";
import { buildWorkload, defaultWorkloadShape, type BurstMessage } from "../support/capacity/workload.js";

/**
 * The workloads every compared scenario runs on: the same shape, different seeds. One workload
 * is one trajectory of a chaotic schedule (a few milliseconds decide which message gets a
 * minute's last room), and a schedule tuned on one seed can fit it better than it fits the
 * traffic it stands for, so the figures are each scenario's over all of them. The first is
 * the seed the bench has always used; the others were never looked at while tuning.
 */
const workloadSeeds = [defaultWorkloadShape.seed, 20_261_206, 20_261_207, 20_261_208] as const;
const workloads: readonly (readonly BurstMessage[])[] = workloadSeeds.map((seed) => buildWorkload({ ...defaultWorkloadShape, seed }));
const timing = defaultBurstTiming;
const ceilingModels = { ids: liveAnswerModelIds };

interface BenchRun {
  readonly scenario: Scenario;
  readonly messages: readonly BurstMessage[];
  /** The scenario's name with its workload. */
  readonly name: string;
}

/** The scenario on the first `count` workloads. */
function onWorkloads(scenario: Scenario, count: number = workloadSeeds.length): BenchRun[] {
  return workloads.slice(0, count).map((messages, index) => ({ scenario, messages, name: `${scenario.name}, workload ${index + 1}` }));
}

/** The runs of `scenario` among the results, in workload order. */
function runsOf(scenario: Scenario): ScenarioFigures[] {
  return runs.filter((run) => run.scenario === scenario).flatMap((run) => results.get(run.name) ?? []);
}

const mamiUsage: Scenario = { name: "Mami, defaults, Groq counts only what was used", accounting: "usage_only", settings: mamiDefaultSettings(), path: "in_process" };
const telegramUsage: Scenario = { name: "Mami through Telegram, Groq counts only what was used", accounting: "usage_only", settings: mamiDefaultSettings(), path: "telegram" };
const mamiKept: Scenario = { name: "Mami, defaults, Groq keeps the reservation", accounting: "reservation_kept", settings: mamiDefaultSettings(), path: "in_process" };
const telegramKept: Scenario = { name: "Mami through Telegram, Groq keeps the reservation", accounting: "reservation_kept", settings: mamiDefaultSettings(), path: "telegram" };
// The adapter does not pass `receivedAt`; this run hands the core each message's arrival time,
// to tell what the adapter path itself costs from what that omission costs.
const telegramWithArrivalTimes: Scenario = { name: "Mami through Telegram with arrival times, Groq keeps the reservation", accounting: "reservation_kept", settings: mamiDefaultSettings(), path: "telegram_with_arrival_times" };
// Groq under load (or far away): the answer models' first byte, and their headers, come 0.9 s
// after each call. Headers then arrive after some of the calls they count have left Mami's minute.
const mamiSlowFirstByte: Scenario = { name: "Mami, defaults, Groq counts only what was used, answers' first byte after 0.9 s", accounting: "usage_only", settings: mamiDefaultSettings(), path: "in_process", answerFirstByteMs: 900 };
const singleKept: Scenario = { name: `one model (${singleModelId}), Groq keeps the reservation`, accounting: "reservation_kept", settings: singleModelSettings(), path: "in_process" };
const singleUsage: Scenario = { name: `one model (${singleModelId}), Groq counts only what was used`, accounting: "usage_only", settings: singleModelSettings(), path: "in_process" };
/**
 * The in-process scenario on virtual time (support/capacity/virtual-burst-time.ts), on forty
 * workloads, the bench's four first: each plays nearly the same way every time (calls sent at the
 * same virtual moment reach the fake in whichever order their sockets deliver), so their mean
 * moves only when Mami does, and forty take a few minutes where the wall clock takes two for one.
 * The figure to compare changes by; the wall-clock runs show the real streaming and sockets.
 */
const virtualWorkloadSeeds = Array.from({ length: 40 }, (_, index) => defaultWorkloadShape.seed + index);
const mamiUsageVirtual: Scenario = { name: "Mami, defaults, Groq counts only what was used, virtual time", accounting: "usage_only", settings: mamiDefaultSettings(), path: "in_process", time: "virtual" };
const virtualResults: ScenarioFigures[] = [];
/** Where Groq keeps reservations, two workloads a side: the bench stays under half an hour. */
const keptWorkloads = 2;
const runs: readonly BenchRun[] = [
  ...onWorkloads(mamiUsage),
  ...onWorkloads(mamiSlowFirstByte, 2),
  ...onWorkloads(mamiKept, keptWorkloads),
  ...onWorkloads(singleKept, 1),
  ...onWorkloads(singleUsage, 1),
  ...onWorkloads(telegramUsage),
  ...onWorkloads(telegramKept, keptWorkloads),
  ...onWorkloads(telegramWithArrivalTimes, 1),
];
/** The scenarios whose figures are summed up over their workloads. */
const summarized: readonly Scenario[] = [mamiUsage, mamiSlowFirstByte, telegramUsage, mamiKept, telegramKept];
/** Each path through Telegram, and the in-process scenario it is compared with, workload by workload. */
const telegramComparisons: readonly (readonly [Scenario, Scenario])[] = [
  [telegramUsage, mamiUsage],
  [telegramKept, mamiKept],
  [telegramWithArrivalTimes, mamiKept],
];

const results = new Map<string, ScenarioFigures>();

function checkInvariants(figures: ScenarioFigures): void {
  const accountedFor = outcomes.reduce((total, outcome) => total + figures.outcomes[outcome], 0);
  expect(accountedFor, "every message is accounted for exactly once").toBe(figures.offered);
  expect(figures.answeredTwice, "no message gets two final replies").toBe(0);
  // The ceiling is the better of two greedy schedulers that know every answer's length, not the
  // most any order could fit: a run that packs one more message into a minute is possible, and
  // is said rather than failed (a run far beyond it would mean a broken ceiling, so it still fails).
  const beyond = Math.max(figures.outcomes.answered_complete - figures.oracle.withinDeadlines, figures.answeredInFirstMinute - figures.oracle.firstMinute);
  if (beyond > 0) process.stdout.write(`[bench] ${figures.name}: ${beyond} more than the greedy ceiling\n`);
  expect(figures.outcomes.answered_complete, "nothing is served far beyond the oracle's ceiling").toBeLessThanOrEqual(Math.ceil(figures.oracle.withinDeadlines * 1.05));
  // The first minute's ceilings are about 45 messages, where one message is 2%, and its greedy
  // order fits some workloads' first minute worse than Mami's: on virtual time seed 20261221
  // answered 47 in the first minute of a ceiling of 41 (46 before b2df426).
  expect(figures.answeredInFirstMinute, "nothing is served far beyond the oracle's first-minute ceiling").toBeLessThanOrEqual(Math.ceil(figures.oracle.firstMinute * 1.2));
}

describe(`capacity: bursts of ${defaultWorkloadShape.messages} messages from ${defaultWorkloadShape.chats} chats in ${defaultWorkloadShape.burstMs / 1000} s, ${timing.deadlineMs / 1000} s deadline each`, () => {
  it(`${mamiUsageVirtual.name}, ${virtualWorkloadSeeds.length} workloads`, { timeout: 30 * 60_000 }, async () => {
    for (const seed of virtualWorkloadSeeds) {
      const { figures } = await runScenario({ ...mamiUsageVirtual, name: `${mamiUsageVirtual.name}, seed ${seed}` }, buildWorkload({ ...defaultWorkloadShape, seed }), timing, ceilingModels);
      virtualResults.push(figures);
      process.stdout.write(
        `[bench] ${figures.name}: answered ${figures.outcomes.answered_complete} of a ceiling of ${figures.oracle.withinDeadlines}, ${figures.answeredInFirstMinute} of ${figures.oracle.firstMinute} in the first minute; lost ${figures.outcomes.lost}; 429s ${figures.upstream.rateLimited}; reserved per used ${figures.upstream.reservedPerUsedAnswers.toFixed(2)}\n`,
      );
      checkInvariants(figures);
    }
  });

  for (const run of runs) {
    it(run.name, async () => {
      const { figures, logs, accounting, quotaView, run: burst } = await runScenario({ ...run.scenario, name: run.name }, run.messages, timing, ceilingModels);
      results.set(run.name, figures);
      process.stdout.write(`\n${scenarioDetails(figures, logs, accounting, quotaView, burst.startedAt)}\n${figuresTable([figures])}\n`);
      checkInvariants(figures);
    });
  }

  it("prints the table", () => {
    const rows = runs.flatMap((run) => results.get(run.name) ?? []);
    const lines = [
      `\n[bench] capacity: ${defaultWorkloadShape.messages} messages, ${defaultWorkloadShape.chats} chats, ${defaultWorkloadShape.burstMs / 1000} s burst, ${timing.deadlineMs / 1000} s deadline each; workload seeds ${workloadSeeds.join(", ")}`,
      ceilingExplanation,
      "",
      figuresTable(rows),
      "",
    ];
    for (const scenario of summarized) {
      const scenarioRuns = runsOf(scenario);
      if (scenarioRuns.length > 0) lines.push(acrossWorkloads(scenario.name, scenarioRuns));
    }
    if (virtualResults.length > 0) {
      const mean = (figure: (run: ScenarioFigures) => number): string => meanOf(virtualResults, figure).toFixed(2);
      lines.push(acrossWorkloads(mamiUsageVirtual.name, virtualResults));
      lines.push(`  answered complete by the deadline, mean ${mean((run) => run.outcomes.answered_complete)}; by 60 s, mean ${mean((run) => run.answeredInFirstMinute)}`);
    }
    const reference = results.get(onWorkloads(mamiUsage, 1)[0]?.name ?? "");
    if (reference !== undefined) {
      const single = oracleCeiling(oracleMessages(workloads[0] ?? [], reference.systemPromptAllowance, [singleModelId]), oracleModels([singleModelId]), timing.deadlineMs);
      lines.push(`[bench] the same oracle with ${singleModelId} alone, workload 1: ${single.firstMinute} in the first minute, ${single.withinDeadlines} within deadlines`);
    }
    for (const [telegram, inProcess] of telegramComparisons) {
      const telegramRuns = runsOf(telegram);
      // Workload by workload: only the workloads both sides ran.
      const inProcessRuns = runsOf(inProcess).slice(0, telegramRuns.length);
      if (telegramRuns.length > 0 && inProcessRuns.length === telegramRuns.length) lines.push(telegramComparison(inProcess.name, inProcessRuns, telegram.name, telegramRuns));
    }
    process.stdout.write(`${lines.join("\n")}\n`);
    expect(rows.length + virtualResults.length).toBeGreaterThan(0);
  });
});
