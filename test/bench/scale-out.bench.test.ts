/**
 * `npm run bench`: 1, 2 and 4 bot processes of one organization against one fake Groq with the
 * free-tier limits, the processes sharing a real redis-server, each a Mami core with its own
 * Redis connection (test/support/scale-out/shared-burst.ts). The full-size burst of
 * test/scale-out/shared-quota-burst.test.ts: 100 alike messages from 25 chats within 6 s after a
 * 16-message warm-up, each with 10 s to be answered, in several rounds; then Redis stopped for
 * 3 s in the middle of the burst. Prints each run and a summary against one process.
 */
import { describe, expect, it } from "vitest";
import { isRedisServerInstalled, startRedisServer } from "../support/redis-server.js";
import { burstScenario, redisOutage } from "../support/scale-out/burst-scenario.js";
import { describeFigures, messageUntilSharingAgain, runSharedBurst, type SharedBurstFigures } from "../support/scale-out/shared-burst.js";

const settings = { SAFETY: "off", ROUTER_MODE: "heuristic", HISTORY_MAX_TURNS: "0", MAX_QUEUE_WAIT_SECONDS: "10" };
const deadlineMs = 10_000;
const { warmUp, burst } = burstScenario({ burstMessages: 100, burstMs: 6_000, warmUpMessages: 16, warmUpSpacingMs: 250 });
const rounds = 3;

function print(label: string, figures: SharedBurstFigures): void {
  process.stdout.write(`[scale-out bench] ${describeFigures(label, figures)}\n`);
}

function percent(part: number, whole: number): string {
  return `${((100 * part) / Math.max(1, whole)).toFixed(1)}%`;
}

describe.runIf(isRedisServerInstalled())("scale-out: processes sharing one organization's quota through Redis", () => {
  it("serves as one process does, without provider 429s or a model over its limits", async () => {
    const runs = new Map<number, SharedBurstFigures[]>([
      [1, []],
      [2, []],
      [4, []],
    ]);
    for (let round = 1; round <= rounds; round += 1) {
      for (const processes of runs.keys()) {
        const redis = processes === 1 ? undefined : await startRedisServer();
        try {
          const figures = await runSharedBurst({ processes, warmUp, burst, deadlineMs, settings, ...(redis === undefined ? {} : { redisUrl: redis.url }) });
          print(`round ${round}, ${processes} ${processes === 1 ? "process, memory" : "processes, Redis"}`, figures);
          runs.get(processes)?.push(figures);
        } finally {
          await redis?.stop();
        }
      }
    }
    const servedAlone = (runs.get(1) ?? []).reduce((total, figures) => total + figures.served, 0);
    const lines = [...runs].map(([processes, figures]) => {
      const served = figures.reduce((total, run) => total + run.served, 0);
      const calls = figures.reduce((total, run) => total + run.upstreamCalls, 0);
      const refused = figures.reduce((total, run) => total + run.provider429s, 0);
      const exceeded = figures.filter((run) => run.audit.exceeded).length;
      const lost = figures.reduce((total, run) => total + run.lost, 0);
      return `${processes} process${processes === 1 ? " " : "es"}: served ${figures.map((run) => run.served).join(", ")} of ${burst.length} (${percent(served, servedAlone)} of one process), provider 429s ${refused} of ${calls} calls (${percent(refused, calls)}), runs with a model over its limits ${exceeded}, lost ${lost}`;
    });
    process.stdout.write(`[scale-out bench] summary over ${rounds} rounds:\n  ${lines.join("\n  ")}\n`);
    for (const processes of [2, 4]) {
      const figures = runs.get(processes) ?? [];
      expect(figures.reduce((total, run) => total + run.served, 0)).toBeGreaterThanOrEqual(Math.ceil(0.95 * servedAlone));
      for (const run of figures) {
        expect(run.provider429s / run.upstreamCalls).toBeLessThan(0.01);
        expect(run.audit.exceeded).toBe(false);
        expect(run.lost + run.extraFinals).toBe(0);
      }
    }
  });

  it("keeps answering through a Redis outage in the middle of the burst", async () => {
    for (const processes of [2, 4]) {
      const outage = redisOutage(await startRedisServer(), 1_500, 3_000);
      try {
        const figures = await runSharedBurst({ processes, warmUp, burst, deadlineMs, settings, redisUrl: outage.current.url, during: () => outage.run(), inspect: messageUntilSharingAgain });
        print(`${processes} processes, Redis down from 1.5 s to 4.5 s`, figures);
        const said = (start: string): number => figures.logs.filter((line) => line.message.startsWith(start)).length;
        process.stdout.write(
          `[scale-out bench]   said once per process: cannot be reached ${said("the shared quota (Redis, STORE_URL) cannot be reached")}, answers again ${said("the shared quota (Redis, STORE_URL) answers again")}\n`,
        );
        expect(figures.lost + figures.extraFinals).toBe(0);
        expect(figures.provider429s / figures.upstreamCalls).toBeLessThan(0.01);
        expect(figures.audit.exceeded).toBe(false);
        expect(said("the shared quota (Redis, STORE_URL) cannot be reached")).toBe(processes);
        expect(said("the shared quota (Redis, STORE_URL) answers again")).toBe(processes);
      } finally {
        await outage.current.stop();
      }
    }
  });
});
