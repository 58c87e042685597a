import { NoModelAvailableError } from "../errors.js";
import { completeModelCall } from "../generation/run-model-call.js";
import type { ModelServices } from "../services.js";
import type { StoredDocument, StoredNotes } from "./document-store.js";
import { ReadingCall } from "./reading-call.js";
import type { ReadingLedger } from "./reading-ledger.js";
import { readSelection, selectionMessages } from "./reading-prompts.js";

/** Which stored parts a question reads: the likely ones first, the rest only if those have nothing on it. */
export interface PartChoice {
  readonly first: readonly number[];
  readonly rest: readonly number[];
}

const selectionBudget = 200;
const selectionTimeoutMs = 20_000;
/** With this few parts to read, asking which ones would cost about as much as reading them. */
const partsWorthChoosingAmong = 3;

export interface ChoosePartsJob {
  readonly question: string;
  readonly document: StoredDocument;
  /** Notes this very question already has, part by part. */
  readonly known: StoredNotes;
  /** Candidates with room for the choice first (wait-for-room.ts `candidatesWithRoom`). */
  readonly candidates: readonly string[];
  readonly ledger: ReadingLedger;
  readonly signal: AbortSignal;
  readonly maxQueueWaitMs: number;
}

/**
 * A later question about a stored document reads only what it must: parts whose notes on this
 * question are stored are not read again, and of the others one short call, given what each
 * part covers, names the parts likely to hold the answer. Those are read first; the rest only
 * when they had nothing. When the choice cannot be made (too few parts, nothing known of what
 * they cover, no readable answer), every part without notes is read.
 */
export async function chooseParts(job: ChoosePartsJob, services: ModelServices): Promise<PartChoice> {
  const { document, known } = job;
  const unknown = document.parts.map((part) => part.index).filter((index) => !(String(index) in known));
  const described = document.parts.filter((part) => part.covers !== "").length;
  if (unknown.length < partsWorthChoosingAmong || described < document.parts.length / 2) return { first: unknown, rest: [] };
  const call = new ReadingCall(
    {
      candidates: job.candidates,
      messages: selectionMessages(
        job.question,
        document.name,
        document.parts.map((part) => ({ label: part.label, covers: part.covers === "" ? "(not known)" : part.covers })),
      ),
      completionBudget: selectionBudget,
      arrivedAt: services.clock.now(),
      maxQueueWaitMs: job.maxQueueWaitMs,
      timeoutMs: selectionTimeoutMs,
      onSend: () => {
        job.ledger.calls += 1;
      },
    },
    services.client,
  );
  const startedAt = services.clock.now();
  try {
    const result = await completeModelCall(call, services, job.signal);
    job.ledger.recordCall(services.clock.now() - startedAt, result.usage, result.attempts, result.spentTokens);
    const selection = readSelection(result.outcome, document.parts.length);
    if (selection === undefined || selection === "all") return { first: unknown, rest: [] };
    if (selection === "none") return { first: [], rest: [] };
    const first = selection.filter((index) => unknown.includes(index));
    // Most of the document anyway: reading it in order is as cheap and misses nothing.
    if (first.length > document.parts.length / 2) return { first: unknown, rest: [] };
    return { first, rest: unknown.filter((index) => !first.includes(index)) };
  } catch (error) {
    if (!(error instanceof NoModelAvailableError)) throw error;
    job.ledger.attempts.push(...error.attempts);
    return { first: unknown, rest: [] };
  }
}
