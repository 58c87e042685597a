import type { Mami } from "../../../src/core/mami.js";
import { finalReplyOf, type FinalReply } from "../../../src/core/reply.js";
import { chatRequest } from "../chat-request.js";
import { startFakeGroq, type FakeModelSpec } from "../../fakes/fake-groq/index.js";
import { benchModels } from "../capacity/bench-models.js";
import { burstResponder } from "../capacity/responder.js";
import type { BurstMessage } from "../capacity/workload.js";
import { startMamiHarness, type MamiHarness } from "../mami-harness.js";
import { recordingLogger, type LoggedLine } from "../recording-logger.js";
import { ShiftedClock } from "../shifted-clock.js";
import { offerBurst, servedInTime, type BurstRecord } from "./burst-runner.js";
import { auditQuota, type QuotaAudit } from "./quota-audit.js";

export interface SharedBurstOptions {
  readonly processes: number;
  /** Offered first and answered before the burst, so budgets and Groq's accounting are learned as in a bot that has been running. */
  readonly warmUp: readonly BurstMessage[];
  readonly burst: readonly BurstMessage[];
  /** Each message's deadline from its arrival. */
  readonly deadlineMs: number;
  /** Mami's settings, on top of the test harness's. */
  readonly settings: Record<string, string>;
  /** The Redis the processes share; without one, each keeps its quota in memory. */
  readonly redisUrl?: string;
  /** Runs beside the burst, from its start (a Redis outage, say). */
  readonly during?: () => Promise<void>;
  /** The fake Groq's models; the bench's free-tier models at a realistic speed unless given. */
  readonly models?: readonly FakeModelSpec[];
  /** Looks at the processes once the burst is over, before they stop. */
  readonly inspect?: (processes: readonly MamiHarness[], logs: readonly LoggedLine[]) => Promise<void>;
}

export interface SharedBurstFigures {
  readonly processes: number;
  readonly offered: number;
  /** Answered whole within the deadline. */
  readonly served: number;
  /** Told to try again later, with or without a time. */
  readonly toldBusy: number;
  /** No final reply at all. */
  readonly lost: number;
  /** Final replies beyond the first for one message: must be 0. */
  readonly extraFinals: number;
  /** Chat completion calls of the burst to the fake Groq, and those it refused with a 429. */
  readonly upstreamCalls: number;
  readonly provider429s: number;
  readonly audit: QuotaAudit;
  /** What the fake Groq said of each call it refused with a 429: the limit, its use and the request. */
  readonly refusals: readonly string[];
  /** Wall time of the warm-up, the burst and its tail, and the stop of the processes. */
  readonly phasesMs: { readonly warmUp: number; readonly burst: number; readonly stop: number };
  readonly logs: readonly LoggedLine[];
  readonly records: readonly BurstRecord[];
  /** Every final reply of every process, warm-up included, with the models each tried. */
  readonly finals: readonly FinalReply[];
}

/** A chat's messages always reach the same process, as a load balancer routing by chat (or Discord's shards) would send them. */
function processOf(chatId: string, processes: number): number {
  const chat = Number(/(\d+)$/.exec(chatId)?.[1] ?? 0);
  return chat % processes;
}

/**
 * Offers one burst to `processes` bot processes of one organization against one fake Groq with
 * free-tier limits: each a core of its own with its own store connection (so its own process id
 * and its own Redis client), in this test process. Everything they share goes through Redis, as
 * between real processes; what a process keeps to itself (its mirror, its queue, its budgets) is
 * its own here too.
 *
 * A warm-up comes first; then the clock that the fake and the processes share jumps past the
 * warm-up's minute, so the burst meets every model's whole quota, with budgets and Groq's
 * accounting already learned.
 */
export async function runSharedBurst(options: SharedBurstOptions): Promise<SharedBurstFigures> {
  const clock = new ShiftedClock();
  const models = options.models ?? benchModels;
  const groq = await startFakeGroq({ models, respond: burstResponder([...options.warmUp, ...options.burst]), now: () => clock.now() });
  const logs: LoggedLine[] = [];
  const cores: MamiHarness[] = [];
  try {
    for (let index = 0; index < options.processes; index += 1) {
      cores.push(
        await startMamiHarness({
          groq,
          clock,
          env: options.settings,
          logger: recordingLogger(logs, { process: index }),
          ...(options.redisUrl === undefined ? {} : { storeUrl: options.redisUrl }),
        }),
      );
    }
    const front: Pick<Mami, "reply"> = {
      reply: (request, replyOptions) => {
        const core = cores[processOf(request.location.chatId, cores.length)];
        if (core === undefined) throw new Error("no process for the chat");
        return core.mami.reply(request, replyOptions);
      },
    };
    const startedAt = Date.now();
    if (options.warmUp.length > 0) await offerBurst(front, options.warmUp, clock, options.deadlineMs);
    const warmedAt = Date.now();
    clock.advance(61_000);
    const burstStartsAt = clock.now();
    const [records] = await Promise.all([offerBurst(front, options.burst, clock, options.deadlineMs), options.during?.()]);
    await options.inspect?.(cores, logs);
    const burstEndedAt = Date.now();
    const finals = cores.flatMap((core) => core.finals);
    await Promise.all(cores.splice(0).map((core) => core.close()));
    const phasesMs = { warmUp: warmedAt - startedAt, burst: burstEndedAt - warmedAt, stop: Date.now() - burstEndedAt };
    const burstCalls = groq.calls.filter((call) => call.path.endsWith("/chat/completions") && call.at >= burstStartsAt);
    return {
      processes: options.processes,
      offered: options.burst.length,
      served: records.filter((record) => servedInTime(record, options.deadlineMs)).length,
      toldBusy: records.filter((record) => record.final?.kind === "error" && record.final.failure === "no_model_available").length,
      lost: options.burst.length - records.filter((record) => record.final !== undefined).length,
      extraFinals: records.reduce((total, record) => total + record.extraFinals, 0),
      upstreamCalls: burstCalls.length,
      provider429s: burstCalls.filter((call) => call.status === 429).length,
      audit: auditQuota(burstCalls, models),
      refusals: burstCalls.filter((call) => call.status === 429).map((call) => call.errorMessage ?? ""),
      phasesMs,
      logs,
      records,
      finals,
    };
  } finally {
    for (const core of cores) await core.close();
    await groq.close();
  }
}

export function describeFigures(label: string, figures: SharedBurstFigures): string {
  const share = (100 * figures.provider429s) / Math.max(1, figures.upstreamCalls);
  const peaks = figures.audit.peaks.map((peak) => `${peak.model.replace(/^.*\//, "")} ${peak.requests}/${peak.requestsPerMinute} req, ${peak.tokens}/${peak.tokensPerMinute} tok`).join("; ");
  const phases = `${(figures.phasesMs.warmUp / 1000).toFixed(1)} s warm-up, ${(figures.phasesMs.burst / 1000).toFixed(1)} s burst, ${(figures.phasesMs.stop / 1000).toFixed(1)} s stop`;
  return `${label}: served ${figures.served} / ${figures.offered} (told busy ${figures.toldBusy}, lost ${figures.lost}), provider 429s ${figures.provider429s} of ${figures.upstreamCalls} calls (${share.toFixed(1)}%), busiest minute: ${peaks}; ${phases}`;
}

const sharingAgain = "the shared quota (Redis, STORE_URL) answers again";

/**
 * After a Redis outage, a process shares again at its next request once its client has
 * reconnected (the client backs off up to a few seconds): each process is sent a message every
 * half second until it has said so, or `timeoutMs` passes.
 */
export async function messageUntilSharingAgain(processes: readonly MamiHarness[], logs: readonly LoggedLine[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await Promise.all(
    processes.map(async (core, index) => {
      const shares = (): boolean => logs.some((line) => line.fields["process"] === index && line.message.startsWith(sharingAgain));
      while (!shares() && Date.now() < deadline) {
        const request = chatRequest("Are you still there?", { location: { platform: "cli", chatId: `after-outage-${index}`, kind: "private" } });
        await finalReplyOf(core.mami.reply(request));
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }),
  );
}
