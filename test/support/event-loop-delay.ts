import { readFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";

/** How often the histogram's timer samples the event loop. */
const resolutionMs = 10;

export interface EventLoopDelay {
  /** How long the work took, start to finish. */
  readonly ms: number;
  /** Event-loop stalls seen while it ran, in milliseconds of wall-clock time. */
  readonly p99: number;
  readonly max: number;
  /**
   * The longest stall counting only time the main thread ran: what this process itself held
   * the event loop for. Wall-clock stalls also count time another process had the core, which
   * on a busy machine can be hundreds of milliseconds. Undefined where Linux's per-thread
   * scheduler statistics cannot be read.
   */
  readonly maxWhileRunning: number | undefined;
  /** Time the main thread was ready to run but waited for a core, in all. */
  readonly waitingForCoreMs: number | undefined;
}

interface ThreadSchedule {
  readonly runningMs: number;
  readonly waitingMs: number;
}

const mainThreadSchedstat = `/proc/self/task/${process.pid}/schedstat`;

/**
 * How long the main thread has run on a core and waited for one, from Linux's scheduler
 * statistics ("running waiting timeslices", in nanoseconds); undefined on other systems.
 */
export function mainThreadSchedule(): ThreadSchedule | undefined {
  try {
    const [running = Number.NaN, waiting = Number.NaN] = readFileSync(mainThreadSchedstat, "utf8").split(" ").map(Number);
    return Number.isFinite(running) && Number.isFinite(waiting) ? { runningMs: running / 1e6, waitingMs: waiting / 1e6 } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `work` while `perf_hooks.monitorEventLoopDelay` samples the event loop every 10 ms: the
 * longest stall is the longest any other chat would have waited for its turn. A 10 ms timer
 * beside it reads the main thread's running time at each turn, so that a stall can be told
 * apart from time the machine gave to other processes.
 */
export async function measureEventLoopDelay(work: () => Promise<unknown>): Promise<EventLoopDelay> {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  const scheduleAtStart = mainThreadSchedule();
  let previous = scheduleAtStart;
  let longestRunningBetweenTurns = 0;
  const readSchedule = (): void => {
    const current = mainThreadSchedule();
    if (current !== undefined && previous !== undefined) longestRunningBetweenTurns = Math.max(longestRunningBetweenTurns, current.runningMs - previous.runningMs);
    previous = current;
  };
  const turns = setInterval(readSchedule, resolutionMs);
  histogram.enable();
  const startedAt = performance.now();
  await work();
  const ms = performance.now() - startedAt;
  // One more turn of the sampling timer, so a stall that lasted to the end of the work is recorded.
  await new Promise((resolve) => setTimeout(resolve, 3 * resolutionMs));
  histogram.disable();
  clearInterval(turns);
  readSchedule();
  // The histogram reports nanoseconds; it and the running time between turns include the interval.
  const stall = (milliseconds: number): number => Math.max(0, milliseconds - resolutionMs);
  const scheduleAtEnd = mainThreadSchedule();
  return {
    ms,
    p99: stall(histogram.percentile(99) / 1e6),
    max: stall(histogram.max / 1e6),
    maxWhileRunning: scheduleAtStart === undefined ? undefined : stall(longestRunningBetweenTurns),
    waitingForCoreMs: scheduleAtStart === undefined || scheduleAtEnd === undefined ? undefined : scheduleAtEnd.waitingMs - scheduleAtStart.waitingMs,
  };
}
