/**
 * `npm run bench`: how long Mami takes to answer a question about a 100,000-token PDF on
 * Groq's free tier, against the bound the models' per-minute quotas set together: document
 * tokens / the sum of the live text models' tokens per minute, as the fake Groq publishes them
 * (three models at 8,000: about 4.2 minutes). The bound comes from the work alone, never from
 * what Mami chose: no reader can push the document through those minutes faster, whatever its
 * parts, prompts or budgets. Targets (issue): within 1.3x of that bound, and 3x faster than the
 * same reading with one model.
 *
 * "The same reading with one model" is Mami's own reading with every chain set to one model.
 * Beside it the table shows the speed-up over a perfect one-model reader (the one-model
 * bound: the document through that model's minute with no overhead at all), whose ceiling is
 * the ratio of the quotas (3.0x for three equal models), so the speed-up over Mami's own
 * one-model run cannot hide an inefficient baseline. With other chats' messages arriving, a
 * second bound counts their work too: the tokens their calls on these models really used.
 *
 * Time is virtual (support/virtual-time.ts): Mami and the fake Groq share a clock
 * that stands still while a call is on the wire and jumps ahead when all is quiet, so a
 * twelve-minute reading runs in seconds and the two never drift apart. A model's own time is
 * modelled on that clock (a moment to start, the prompt at 20,000 tokens a second, the answer
 * at 500 a second). Reading the PDF's text takes real time and no virtual time; the figures
 * count from the question to the final answer. The safety screen runs as by default
 * (SAFETY=input), on the safety models' own quota.
 */
import { afterAll, expect, it } from "vitest";
import { estimateTextTokens } from "../../src/core/models/token-estimate.js";
import { freeTierModels } from "../fakes/fake-groq/index.js";
import { bytesAttachment, chatRequest } from "../support/chat-request.js";
import { chatCalls, collectReply, kindOf, liveTextModels, startDocumentRig, type CollectedReply } from "../support/documents/document-rig.js";
import { longDocumentPages } from "../support/documents/long-document.js";
import { makePdf } from "../support/make-pdf.js";

const launchCode = { asks: /launch code/i, sentence: "The launch code of project Heron is 7Q-ALPHA-22." };
const pages = longDocumentPages({ tokens: 100_000, facts: [{ page: 61, sentence: launchCode.sentence }] });
const pdf = makePdf(pages);
const documentTokens = estimateTextTokens(pages.join("\n\n"));

/** A model's tokens per minute as the fake Groq enforces them: the quota the work must pass through. */
function tokensPerMinuteOf(model: string): number {
  const spec = freeTierModels.find((candidate) => candidate.id === model);
  if (spec === undefined) throw new Error(`The fake Groq does not serve ${model}.`);
  return spec.tokensPerMinute;
}
const minutesThrough = (tokens: number, models: readonly string[]): number => (tokens / models.reduce((total, model) => total + tokensPerMinuteOf(model), 0)) * 60_000;

interface Scenario {
  readonly name: string;
  readonly models: readonly string[];
  readonly accounting: "reservation_kept" | "usage_only";
  readonly env?: Record<string, string>;
  /** Ordinary messages from other chats, one every this many seconds while the document is read. */
  readonly ordinaryEverySeconds?: number;
}

interface Figures {
  readonly scenario: Scenario;
  readonly answerMs: number;
  readonly boundMs: number;
  /** The bound with other chats' work counted too: their calls' tokens used on these models. */
  readonly boundWithOthersMs: number;
  /** Document tokens over the one model's minute alone: a perfect one-model reader's time. */
  readonly oneModelBoundMs: number;
  readonly answered: boolean;
  readonly calls: number;
  readonly parts: number;
  readonly modelsUsed: number;
  /** 429s on the answer models: what the reading's pacing is answerable for. */
  readonly rateLimited: number;
  readonly safetyCalls: number;
  readonly safetyRateLimited: number;
  readonly tokensCharged: number;
  readonly ordinary: readonly CollectedReply[];
}

const oneModel = "openai/gpt-oss-120b";
const scenarios: readonly Scenario[] = [
  { name: "Mami, every live text model, Groq keeps the reservation", models: liveTextModels, accounting: "reservation_kept" },
  { name: "Mami, every live text model, Groq counts only what was used", models: liveTextModels, accounting: "usage_only" },
  {
    name: "Mami, every live text model, another chat's message every 20 s",
    models: liveTextModels,
    accounting: "reservation_kept",
    ordinaryEverySeconds: 20,
  },
  {
    name: `the same reading with one model (${oneModel}), Groq keeps the reservation`,
    models: [oneModel],
    accounting: "reservation_kept",
    // One model's whole day is 200,000 tokens: the reading needs more than the default 30% of it.
    env: {
      ...Object.fromEntries(["CHAT", "LOGIC", "CODE", "VISION", "LONG_CONTEXT"].map((role) => [`MODELS_${role}`, oneModel])),
      EXTRA_MODELS: "off",
      DOCUMENT_MAX_DAY_PERCENT: "100",
      DOCUMENT_MAX_READING_SECONDS: "3600",
    },
  },
];

const results: Figures[] = [];

async function run(scenario: Scenario): Promise<Figures> {
  const rig = await startDocumentRig({ facts: [launchCode], accounting: scenario.accounting, env: { DOCUMENT_MAX_READING_SECONDS: "1800", SAFETY: "input", ...scenario.env } });
  try {
    const { mami } = rig.harness;
    const now = (): number => rig.time.clock.now();
    const startedAt = now();
    const question = chatRequest("What is the launch code of project Heron?", {
      location: { platform: "cli", chatId: "reader", kind: "private" },
      attachments: [bytesAttachment("annual-report.pdf", "application/pdf", pdf)],
    });
    const reading = collectReply(mami.reply(question), now);
    const ordinary: Promise<CollectedReply>[] = [];
    if (scenario.ordinaryEverySeconds !== undefined) {
      for (let at = scenario.ordinaryEverySeconds * 1000; at < 6 * 60_000; at += scenario.ordinaryEverySeconds * 1000) {
        const chatId = `other-${at}`;
        ordinary.push(rig.time.at(startedAt + at, () => collectReply(mami.reply(chatRequest("What is a good name for a grey cat? One line, please.", { location: { platform: "cli", chatId, kind: "private" } })), now)));
      }
    }
    const [document, ...others] = await rig.time.drive(Promise.all([reading, ...ordinary]), 2 * 60 * 60_000);
    const calls = chatCalls(rig.groq);
    const notes = calls.filter((call) => call.status === 200 && kindOf(call) === "notes");
    const othersUsed = calls
      .filter((call) => kindOf(call) === "other" && call.model !== undefined && scenario.models.includes(call.model))
      .reduce((total, call) => total + (call.tokens === undefined ? 0 : call.tokens.prompt - call.tokens.cached + call.tokens.completion), 0);
    return {
      scenario,
      answerMs: document.ms,
      boundMs: minutesThrough(documentTokens, scenario.models),
      boundWithOthersMs: minutesThrough(documentTokens + othersUsed, scenario.models),
      oneModelBoundMs: minutesThrough(documentTokens, [oneModel]),
      answered: document.final.kind === "answer" && document.final.text.includes("7Q-ALPHA-22"),
      calls: calls.filter((call) => kindOf(call) !== "other").length,
      parts: notes.length,
      modelsUsed: new Set(notes.map((call) => call.model)).size,
      rateLimited: calls.filter((call) => call.status === 429 && call.model !== undefined && scenario.models.includes(call.model)).length,
      safetyCalls: calls.filter((call) => call.model !== undefined && !scenario.models.includes(call.model)).length,
      safetyRateLimited: calls.filter((call) => call.status === 429 && call.model !== undefined && !scenario.models.includes(call.model)).length,
      tokensCharged: calls.reduce((total, call) => total + (call.tokens?.upFront ?? 0), 0),
      ordinary: others,
    };
  } finally {
    await rig.close();
  }
}

const minutes = (milliseconds: number): string => `${(milliseconds / 60_000).toFixed(2)} min`;
const mark = (met: boolean): string => (met ? "✓" : "✗");

for (const scenario of scenarios) {
  it(scenario.name, async () => {
    const figures = await run(scenario);
    results.push(figures);
    expect(figures.answered, "the answer holds the fact from its one part").toBe(true);
  });
}

afterAll(() => {
  const single = results.find((figures) => figures.scenario.models.length === 1);
  const lines = [
    "",
    `[bench] documents: a ${documentTokens.toLocaleString("en-US")}-token PDF (${pages.length} pages), one question whose answer is on one page; free-tier limits as the fake Groq enforces them (${liveTextModels.map((model) => `${model} ${tokensPerMinuteOf(model).toLocaleString("en-US")}`).join(", ")} tokens a minute); virtual time`,
    "bound = document tokens / the models' tokens per minute together; ratio = time to answer / bound (target ≤ 1.3)",
    "speed-up over Mami on one model = its one-model run's time / this time (target ≥ 3); over a perfect one-model reader = document tokens / one model's minute, over this time (at most the ratio of the quotas: 3.0x)",
    "",
    "| scenario | time to answer | bound | ratio | speed-up over Mami on one model | speed-up over a perfect one-model reader | parts (models) | reading calls | calls to the safety models (429s) | tokens charged up front, all calls | provider 429s on the answer models | other chats' messages: answered, queued, slowest; ratio to the bound with their work |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const figures of results) {
    const ratio = figures.answerMs / figures.boundMs;
    const isSingle = figures === single;
    const speedUp = single === undefined || isSingle ? undefined : single.answerMs / figures.answerMs;
    const idealSpeedUp = figures.oneModelBoundMs / figures.answerMs;
    const ordinary = figures.ordinary.length === 0
      ? "—"
      : `${figures.ordinary.filter((reply) => reply.final.kind === "answer").length} of ${figures.ordinary.length}, ${figures.ordinary.filter((reply) => reply.final.kind === "answer" && reply.final.queuedMs > 0).length} queued, ${(Math.max(...figures.ordinary.map((reply) => reply.ms)) / 1000).toFixed(1)} s; ${(figures.answerMs / figures.boundWithOthersMs).toFixed(2)}x of ${minutes(figures.boundWithOthersMs)}`;
    lines.push(
      `| ${figures.scenario.name} | ${minutes(figures.answerMs)} | ${minutes(figures.boundMs)} | ${ratio.toFixed(2)}x ${isSingle ? "" : mark(ratio <= 1.3)} | ${speedUp === undefined ? "—" : `${speedUp.toFixed(2)}x ${mark(speedUp >= 3)}`} | ${isSingle ? "—" : `${idealSpeedUp.toFixed(2)}x`} | ${figures.parts} (${figures.modelsUsed}) | ${figures.calls} | ${figures.safetyCalls} (${figures.safetyRateLimited}) | ${figures.tokensCharged.toLocaleString("en-US")} | ${figures.rateLimited} | ${ordinary} |`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n\n`);
});
