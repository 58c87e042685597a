import type { Wording } from "../language/wording.js";
import { AnswerCall, reasoningEffortFor } from "../generation/answer-call.js";
import type { ConversationPrompt } from "../generation/conversation-prompt.js";
import { estimateMargin, estimateTextTokens } from "../models/token-estimate.js";
import type { ModelServices } from "../services.js";
import { FixedParts, type DocumentPart } from "./parts.js";
import type { PlacementRules } from "./part-placement.js";
import { combineInstructions, mergeMessages, partNumbers, readNotes } from "./reading-prompts.js";
import type { ReadingLedger } from "./reading-ledger.js";
import type { PoolSnapshot } from "./reading-pool.js";
import { runReadingRound, type RoundStatus } from "./reading-run.js";

/** One part's notes on the question, in the document's order; a merged entry stands for a run of parts. */
export interface NoteEntry {
  /** The first part it covers, from 0. */
  readonly first: number;
  readonly last: number;
  readonly label: string;
  /** Undefined: nothing on the question there. */
  readonly notes: string | undefined;
  /** Why it could not be read, if it was not. */
  readonly failure?: string;
}

/** The answer's own budget and instructions, beside the notes: what the final call needs besides them. */
const answerAllowanceTokens = 2_048 + 400;
/** Rounds of merging at most; notes still too long after them are cut. */
const maxMergeRounds = 4;
const mergeCompletionBudget = 640;

function entryTitle(entry: NoteEntry): string {
  const parts = entry.first === entry.last ? `Part ${entry.first + 1}` : `Parts ${entry.first + 1}–${entry.last + 1}`;
  return `[${parts} · ${entry.label}]`;
}

/**
 * The notes as the final answer reads them: every part that had something on the question, in
 * the document's order, each under its part number and pages or lines; then which parts had
 * nothing, and which could not be read.
 */
export function notesBlock(entries: readonly NoteEntry[], documentName: string, partCount: number, unreadNote: string | undefined): string {
  const relevant = entries.filter((entry) => entry.notes !== undefined);
  const silent = entries.filter((entry) => entry.notes === undefined && entry.failure === undefined);
  const failed = entries.filter((entry) => entry.failure !== undefined);
  const lines = [`Notes from ${documentName}, read in ${partCount} parts, in the document's order:`, ""];
  for (const entry of relevant) lines.push(entryTitle(entry), entry.notes ?? "", "");
  if (relevant.length === 0) lines.push("(No part had anything on the question.)", "");
  const silentParts = silent.flatMap((entry) => range(entry.first, entry.last));
  if (silentParts.length > 0 && relevant.length > 0) lines.push(`Nothing on the question in parts ${partNumbers(silentParts)}.`);
  for (const entry of failed) lines.push(`Not read: ${entryTitle(entry)} (${entry.failure ?? ""}).`);
  if (unreadNote !== undefined) lines.push(`Not read at all: ${unreadNote}.`);
  return lines.join("\n").trim();
}

function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, offset) => first + offset);
}

/** The most notes (with the question) one final call can carry on the best of the models. */
export function notesCapacity(services: ModelServices, candidates: readonly string[]): number {
  let best = 0;
  for (const model of candidates) {
    const state = services.registry.state(model);
    if (state.isGone) continue;
    const ceiling = Math.min(services.registry.profile(model).contextWindow, state.tokensPerMinuteLimit);
    best = Math.max(best, Math.floor((ceiling - answerAllowanceTokens) / estimateMargin));
  }
  return best;
}

/** Consecutive notes grouped up to `groupTokens` each, as parts for a round of merging. */
function groupsOf(entries: readonly NoteEntry[], groupTokens: number): { readonly parts: DocumentPart[]; readonly spans: NoteEntry[][] } {
  const spans: NoteEntry[][] = [];
  let tokens = 0;
  for (const entry of entries.filter((candidate) => candidate.notes !== undefined)) {
    const entryTokens = estimateTextTokens(entry.notes ?? "") + 20;
    const current = spans.at(-1);
    if (current === undefined || tokens + entryTokens > groupTokens) {
      spans.push([entry]);
      tokens = entryTokens;
    } else {
      current.push(entry);
      tokens += entryTokens;
    }
  }
  const parts = spans.map((span, index): DocumentPart => {
    const text = span.map((entry) => `${entryTitle(entry)}\n${entry.notes ?? ""}`).join("\n\n");
    const first = span[0];
    const last = span.at(-1);
    const label = first === undefined || last === undefined ? "" : first === last ? first.label : `${first.label} to ${last.label}`;
    return { index, label, text, tokens: estimateTextTokens(text) };
  });
  return { parts, spans };
}

/** Notes still too long after every round of merging are cut to what one call takes, and say so. */
export function notesWithin(block: string, question: string, capacity: number): string {
  const room = capacity - estimateTextTokens(question) - 50;
  if (estimateTextTokens(block) <= room) return block;
  const cutNote = "\n\n(The notes were cut short here: the rest did not fit one answer.)";
  let end = Math.max(0, room * 4);
  while (end > 0 && estimateTextTokens(block.slice(0, end)) > room) end = Math.floor(end * 0.9);
  return `${block.slice(0, block.lastIndexOf("\n", end) > 0 ? block.lastIndexOf("\n", end) : end)}${cutNote}`;
}

export interface MergeJob {
  readonly question: string;
  readonly documentName: string;
  readonly partCount: number;
  readonly unreadNote: string | undefined;
  readonly candidates: readonly string[];
  readonly rules: Omit<PlacementRules, "completionBudget" | "promptOverheadTokens">;
  readonly ledger: ReadingLedger;
  readonly signal: AbortSignal;
  readonly marker: string;
}

/**
 * When the notes are too long for one answer, they are condensed in rounds: consecutive notes
 * in groups, each group condensed by a model (all models at once, paced like the parts), until
 * what is left fits one call. The document's order is kept throughout.
 */
export async function* mergeUntilTheyFit(entries: readonly NoteEntry[], job: MergeJob, services: ModelServices): AsyncGenerator<RoundStatus, NoteEntry[]> {
  const capacity = notesCapacity(services, job.candidates);
  let current = [...entries];
  for (let round = 0; round < maxMergeRounds; round += 1) {
    const block = notesBlock(current, job.documentName, job.partCount, job.unreadNote);
    if (estimateTextTokens(`${job.question}\n\n${block}`) <= capacity) return current;
    const { parts, spans } = groupsOf(current, Math.max(1_000, Math.floor(capacity / 2)));
    const outcomes = yield* runReadingRound(
      {
        source: new FixedParts(parts),
        messagesFor: (part) => mergeMessages(job.question, part, job.marker),
        rules: { ...job.rules, completionBudget: mergeCompletionBudget, promptOverheadTokens: estimateTextTokens(job.question) + 200 },
        candidates: job.candidates,
        ledger: job.ledger,
        signal: job.signal,
      },
      services,
    );
    const merged: NoteEntry[] = outcomes.map((outcome) => {
      const span = spans[outcome.part.index] ?? [];
      const first = span[0];
      const last = span.at(-1);
      // A group that could not be condensed keeps its notes as they were.
      const notes = outcome.answer === undefined ? outcome.part.text : readNotes(outcome.answer).notes;
      return { first: first?.first ?? 0, last: last?.last ?? 0, label: outcome.part.label, notes };
    });
    const kept = current.filter((entry) => entry.notes === undefined);
    current = [...merged, ...kept].sort((first, second) => first.first - second.first);
  }
  return current;
}

/**
 * The candidates in their order (the long_context chain first: the best model writes the
 * answer), but those with room for the answer now before those without: a model whose minute
 * is full would only make the answer wait, or be sent as a probe of Groq's accounting.
 */
export function withRoomFirst(candidates: readonly string[], pool: PoolSnapshot, at: number, tokens: number): readonly string[] {
  const hasRoom = (model: string): boolean => pool.room(model, at) >= tokens;
  return [...candidates.filter(hasRoom), ...candidates.filter((model) => !hasRoom(model))];
}

export interface AnswerFromNotesJob {
  readonly question: string;
  readonly notes: string;
  readonly system: string;
  readonly history: ConversationPrompt["history"];
  readonly maxHistoryTurns: number;
  readonly candidates: readonly string[];
  readonly maxQueueWaitMs: number;
  readonly timeoutMs: number;
  readonly words: Wording;
}

/**
 * The final answer, from the notes, on the best model with quota (the long_context chain
 * first): an ordinary answer call, streamed, continued if it reaches its budget, with the
 * conversation's history so a follow-up reads in context.
 */
export function answerFromNotes(job: AnswerFromNotesJob, services: ModelServices): AnswerCall {
  const now = services.clock.now();
  return new AnswerCall(
    {
      role: "long_context",
      candidates: job.candidates,
      prompt: {
        system: `${job.system}\n${combineInstructions}`,
        history: job.history,
        maxHistoryTurns: job.maxHistoryTurns,
        userText: `${job.question}\n\n${job.notes}`,
        imageDataUrls: [],
      },
      reasoningEffort: reasoningEffortFor("long_context"),
      arrivedAt: now,
      maxQueueWaitMs: job.maxQueueWaitMs,
      maxContinueWaitMs: job.maxQueueWaitMs,
      timeoutMs: job.timeoutMs,
      words: job.words,
    },
    services.client,
    services.budgets,
  );
}
