import type { ReplyEvent, ReplyStream, FinalReply } from "../../../src/core/reply.js";
import { freeTierModels, startFakeGroq, type FakeGroq, type FakeModelSpec, type RecordedCall } from "../../fakes/fake-groq/index.js";
import { isRecord } from "../../fakes/fake-groq/json-values.js";
import { startMamiHarness, type MamiHarness } from "../mami-harness.js";
import { readingCallKind, readingModel, type KnownFact, type ReadingCallKind } from "./reading-model.js";
import { groqLikeModelTime, VirtualTime, type ModelTime } from "../virtual-time.js";

/** The free tier's live text models in late 2026: what a document is spread over. */
export const liveTextModels = ["openai/gpt-oss-120b", "openai/gpt-oss-20b", "qwen/qwen3.6-27b"] as const;

export interface DocumentRig {
  readonly time: VirtualTime;
  readonly groq: FakeGroq;
  readonly harness: MamiHarness;
  close(): Promise<void>;
}

export interface DocumentRigOptions {
  readonly facts: readonly KnownFact[];
  readonly env?: Record<string, string>;
  readonly models?: readonly FakeModelSpec[];
  readonly accounting?: "reservation_kept" | "usage_only";
  readonly modelTime?: ModelTime;
}

/**
 * The real core, store and groq-sdk against the fake Groq with free-tier limits, on virtual
 * time (support/virtual-time.ts): a reading that takes minutes of quota runs in seconds, and Mami's
 * minute and Groq's never drift apart. The fake reads as a model would (reading-model.ts).
 */
export async function startDocumentRig(options: DocumentRigOptions): Promise<DocumentRig> {
  const time = new VirtualTime();
  const groq = await startFakeGroq({
    models: options.models ?? freeTierModels,
    now: () => time.clock.now(),
    respond: readingModel(options.facts),
    ...(options.accounting === undefined ? {} : { completionAccounting: options.accounting }),
  });
  const harness = await startMamiHarness({
    groq,
    clock: time.clock,
    wrapClient: (client) => time.wrap(client, options.modelTime ?? groqLikeModelTime),
    wrapDocuments: (documents) => time.wrapDocuments(documents),
    env: { MAX_QUEUE_WAIT_SECONDS: "60", ...options.env },
  });
  return {
    time,
    groq,
    harness,
    async close() {
      await harness.close();
      await groq.close();
    },
  };
}

export interface CollectedReply {
  readonly events: readonly ReplyEvent[];
  readonly final: FinalReply;
  /** Virtual time from the first event asked for to the final reply. */
  readonly ms: number;
}

/** Reads a reply stream to its end, keeping every event. */
export async function collectReply(stream: ReplyStream, now: () => number): Promise<CollectedReply> {
  const startedAt = now();
  const events: ReplyEvent[] = [];
  let final: FinalReply | undefined;
  for await (const event of stream) {
    events.push(event);
    if (event.type === "final") final = event.reply;
  }
  if (final === undefined) throw new Error("The reply stream ended without a final reply.");
  return { events, final, ms: now() - startedAt };
}

/** Chat completions the fake answered, or refused. */
export function chatCalls(groq: FakeGroq): RecordedCall[] {
  return groq.calls.filter((call) => call.path.endsWith("/chat/completions"));
}

/** Which step of a reading a recorded call was. */
export function kindOf(call: RecordedCall): ReadingCallKind {
  const body = isRecord(call.body) ? call.body : {};
  return readingCallKind({ model: call.model ?? "", messages: Array.isArray(body["messages"]) ? body["messages"] : [], stream: call.stream, maxCompletionTokens: 0, body, promptTokens: 0 });
}

/** The text of a recorded call's last user message. */
export function userTextOf(call: RecordedCall): string {
  const body = isRecord(call.body) ? call.body : {};
  const messages = Array.isArray(body["messages"]) ? body["messages"] : [];
  const last = messages.at(-1) as unknown;
  return isRecord(last) && typeof last["content"] === "string" ? last["content"] : "";
}
