import { randomUUID } from "node:crypto";
import { locationKey } from "../conversation/conversation-key.js";
import type { RequestCost } from "../conversation/request-cost.js";
import { loadUsage } from "../conversation/usage.js";
import { BadInputError, NoModelAvailableError, type AttemptRecord } from "../errors.js";
import { systemPrompt } from "../generation/conversation-prompt.js";
import { addUsage, runModelCall, type ModelCallResult } from "../generation/run-model-call.js";
import { estimateMessagesTokens, estimateTextTokens } from "../models/token-estimate.js";
import type { Logger } from "../ports/logger.js";
import { finishAnswer } from "../pipeline/finish.js";
import type { PreparedRequest } from "../pipeline/prepare.js";
import { wordingOf } from "../language/wording.js";
import { errorReply, stoppedReply } from "../pipeline/replies.js";
import { screenInput } from "../pipeline/screen.js";
import type { ReplyChoice, ReplyEvent, ReplyStream } from "../reply.js";
import { prefixedId } from "../request.js";
import type { CoreServices } from "../services.js";
import { chooseParts } from "./choose-parts.js";
import { answerFromNotes, mergeUntilTheyFit, notesBlock, notesCapacity, notesWithin, type NoteEntry } from "./combine-notes.js";
import { DocumentStore, type StoredNotes, type StoredPart } from "./document-store.js";
import { FixedParts, SectionCutter, type DocumentPart, type PartSource } from "./parts.js";
import { reservationFor, type PlacementRules } from "./part-placement.js";
import type { DocumentReading } from "./reading-decision.js";
import { forecastReading } from "./reading-forecast.js";
import { ReadingLedger } from "./reading-ledger.js";
import { PoolSnapshot } from "./reading-pool.js";
import { notesMessages, readNotes } from "./reading-prompts.js";
import {
  choosingProgress,
  combiningProgress,
  neverFits,
  overUserBudget,
  readingProgress,
  stopReadingChoice,
  stoppedReading,
  tooLongToRead,
  tooMuchOfTheDay,
  unreadPartsNote,
} from "./reading-replies.js";
import { runReadingRound, type PartOutcome, type RoundStatus } from "./reading-run.js";
import { splitIntoSections } from "./sections.js";
import { candidatesWithRoom } from "./wait-for-room.js";

/** What each part's call may write: a line on what it covers, and notes of at most 150 words (and some reasoning). */
const notesBudget = 400;
/**
 * Kept free on some model while a document is read: an ordinary answer's reservation (a short
 * prompt, with the selector's margin, and the chat role's 1,024-token budget).
 */
const ordinaryAnswerTokens = 1_500;
/** The progress message changes at most this often (the platforms' edit limits allow more; readers need less). */
const progressIntervalMs = 3_000;
/** What the document's beginning adds to the safety screen: what is screened of a document too large to screen whole. */
const screenedExcerptCharacters = 6_000;
/** The final answer, after minutes of reading, may wait a whole minute's turn for a model. */
const answerQueueWaitMs = 90_000;
const answerTimeoutMs = 30_000;
/** The completion the final answer is planned with when looking for models with room for it (its call asks for its role's learned budget). */
const answerPlannedBudget = 1_024;
/** What the final answer is expected to cost besides the notes: its instructions and budget. */
const answerAllowanceTokens = 2_500;
/** Notes a part is expected to come back with, on average, for estimates. */
const expectedNotesTokens = 150;

export interface ReadingContext {
  readonly startedAt: number;
  readonly log: Logger;
  /** The request's own signal (a shutdown). */
  readonly signal: AbortSignal | undefined;
  /** Every live answer model, the long_context chain first. */
  readonly candidates: readonly string[];
  /** What the request costs its user: the screen, every part's call, the answer. */
  readonly cost: RequestCost;
}

/** Shows a round's status as a progress message, at most every few seconds. */
class ProgressShown {
  private lastAt = Number.NEGATIVE_INFINITY;
  private lastText = "";

  constructor(
    private readonly now: () => number,
    private readonly stop: ReplyChoice,
  ) {}

  event(text: string, force = false): ReplyEvent | undefined {
    if (text === this.lastText || (!force && this.now() - this.lastAt < progressIntervalMs)) return undefined;
    this.lastAt = this.now();
    this.lastText = text;
    return { type: "progress", notice: text, stop: this.stop };
  }
}

async function* showingProgress<Result>(round: AsyncGenerator<RoundStatus, Result>, shown: ProgressShown, render: (status: RoundStatus) => string): AsyncGenerator<ReplyEvent, Result> {
  for (;;) {
    const step = await round.next();
    if (step.done === true) return step.value;
    const event = shown.event(render(step.value));
    if (event !== undefined) yield event;
  }
}

/**
 * Reads a document too large for any model in parts across every model's quota at once, and
 * answers the question from the notes taken on each part (docs/architecture.md, "Documents").
 * Yields progress, then the answer's text as it streams, then exactly one final reply; never
 * throws. `/cancel` stops it: its queued parts leave the queue, its calls under way are
 * aborted, and it sends nothing more.
 */
export async function* readDocument(reading: DocumentReading, prepared: PreparedRequest, services: CoreServices, context: ReadingContext): ReplyStream {
  const { request } = prepared;
  const words = wordingOf(request);
  const attempts: AttemptRecord[] = [];
  const excerpt = (reading.documents ?? []).map((document) => document.text.slice(0, screenedExcerptCharacters)).join("\n\n");
  const screenedOut = await screenInput({ ...prepared, textToScreen: `${reading.question}\n\n${excerpt}`.trim() }, services, { attempts, cost: context.cost, log: context.log, signal: context.signal });
  if (screenedOut !== undefined) {
    yield { type: "final", reply: screenedOut };
    return;
  }
  const handle = services.readings.start({ location: locationKey(request), authorId: request.author.id, documentName: reading.shownName }, context.signal);
  const progress = { done: 0, total: 0 };
  try {
    yield* readAndAnswer(reading, prepared, services, { ...context, signal: handle.signal }, attempts, progress);
  } catch (error) {
    // The answer's calls that found no model to finish on cost tokens too.
    if (error instanceof NoModelAvailableError) context.cost.add("answer", error.spentTokens);
    if (handle.cancelled) {
      context.log.info({ document: reading.id, done: progress.done, total: progress.total }, "document reading stopped with /cancel");
      yield { type: "final", reply: stoppedReading(reading.shownName, progress.done, progress.total, words) };
    } else if (context.signal?.aborted === true) {
      yield { type: "final", reply: stoppedReply(attempts, words) };
    } else {
      if (!(error instanceof BadInputError)) {
        context.log.error({ error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error) }, "document reading failed");
      }
      yield { type: "final", reply: errorReply(error, attempts, words) };
    }
  } finally {
    handle.end();
  }
}

interface ReadingScope extends ReadingContext {
  readonly signal: AbortSignal;
}

async function* readAndAnswer(
  reading: DocumentReading,
  prepared: PreparedRequest,
  services: CoreServices,
  scope: ReadingScope,
  attempts: AttemptRecord[],
  progress: { done: number; total: number },
): ReplyStream {
  const { config, clock } = services;
  const store = new DocumentStore(services.store, config.documents.keepMs);
  const { question, shownName } = reading;
  const words = wordingOf(prepared.request);
  const startedAt = clock.now();
  const ledger = new ReadingLedger(startedAt + config.documents.maxReadingMs * 1.5, scope.cost);
  const shown = new ProgressShown(() => clock.now(), stopReadingChoice(words));
  const marker = randomUUID().slice(0, 8);
  const samplePart: DocumentPart = { index: 999, label: "pages 999–999", text: "", tokens: 0 };
  const rules: PlacementRules = {
    headroomTokens: ordinaryAnswerTokens,
    maxMinuteShare: config.documents.maxMinuteShare,
    completionBudget: notesBudget,
    promptOverheadTokens: estimateMessagesTokens(notesMessages(question, samplePart, shownName, marker)) + 20,
  };
  const round = (source: PartSource) =>
    runReadingRound({ source, messagesFor: (part) => notesMessages(question, part, shownName, marker), rules, candidates: scope.candidates, ledger, signal: scope.signal }, services);

  // What to read: a new document's sections, or the stored parts this question needs.
  let known: StoredNotes = {};
  let source: PartSource;
  let rest: readonly StoredPart[] = [];
  if (reading.stored !== undefined) {
    const stored = reading.stored;
    known = await store.loadNotes(reading.id, question);
    const choosing = shown.event(choosingProgress(shownName, words), true);
    if (choosing !== undefined) yield choosing;
    const choosingTokens = reservationFor(estimateTextTokens(question) + stored.parts.length * 60 + 300, 400);
    const choosingCandidates = await candidatesWithRoom(services, scope.candidates, choosingTokens, ledger, scope.signal, clock.now() + answerQueueWaitMs);
    const choice = await chooseParts({ question, document: stored, known, candidates: choosingCandidates, ledger, signal: scope.signal, maxQueueWaitMs: answerQueueWaitMs }, services);
    source = new FixedParts(choice.first.flatMap((index) => stored.parts[index] ?? []));
    rest = choice.rest.flatMap((index) => stored.parts[index] ?? []);
  } else {
    const documents = reading.documents ?? [];
    source = new SectionCutter(
      await splitIntoSections(documents),
      documents.map((document) => document.name),
    );
  }

  // Refused with the figures when it would take too long or too much of the day.
  const refusal = await refuseReading(reading, prepared, services, source, rules, ledger, scope);
  if (refusal !== undefined) {
    yield { type: "final", reply: { ...refusal, attempts } };
    return;
  }

  const render = (status: RoundStatus): string => {
    progress.done = status.done;
    progress.total = status.total;
    return readingProgress(shownName, status.done, status.total, status.remainingMs + ledger.typicalCallMs, words);
  };
  const outcomes: PartOutcome[] = [...(yield* showingProgress(round(source), shown, render))];
  // A follow-up whose likely parts had nothing on it reads the others too.
  const anyNotes = (): boolean => outcomes.some((outcome) => outcome.answer !== undefined && readNotes(outcome.answer).notes !== undefined) || Object.values(known).some((notes) => notes !== null);
  if (rest.length > 0 && !anyNotes()) outcomes.push(...(yield* showingProgress(round(new FixedParts(rest)), shown, render)));
  progress.done = outcomes.length;

  // Kept, so that later questions read only what they must.
  const entries = await keepWhatWasRead(reading, outcomes, known, store);
  const readParts = reading.stored?.parts.length ?? outcomes.length;

  // Notes too long for one answer are condensed in rounds; then the answer, on the best model with quota.
  const combining = shown.event(combiningProgress(shownName, readParts, words), true);
  if (combining !== undefined) yield combining;
  const merged = yield* showingProgress(
    mergeUntilTheyFit(entries, { question, documentName: shownName, partCount: readParts, unreadNote: reading.unreadNote, candidates: scope.candidates, rules, ledger, signal: scope.signal, marker }, services),
    shown,
    () => combiningProgress(shownName, readParts, words),
  );
  const notes = notesWithin(notesBlock(merged, shownName, readParts, reading.unreadNote), question, notesCapacity(services, scope.candidates));
  const answerTokens = reservationFor(estimateTextTokens(`${question}\n\n${notes}`) + 300, answerPlannedBudget);
  const answerCandidates = await candidatesWithRoom(services, scope.candidates, answerTokens, ledger, scope.signal, clock.now() + answerQueueWaitMs);
  const call = answerFromNotes(
    {
      question,
      notes,
      system: systemPrompt("long_context", prepared.request.location.platform),
      history: prepared.history,
      maxHistoryTurns: config.historyMaxTurns,
      candidates: answerCandidates,
      maxQueueWaitMs: Math.max(config.maxQueueWaitMs, answerQueueWaitMs),
      timeoutMs: answerTimeoutMs,
      words,
    },
    services,
  );
  const answering = runModelCall(call, services, { signal: scope.signal });
  let answer: ModelCallResult<string> | undefined;
  for (let step = await answering.next(); answer === undefined; step = await answering.next()) {
    if (step.done === true) answer = step.value;
    else if (step.value.kind === "text") yield { type: "delta", text: step.value.text };
  }
  scope.cost.add("answer", answer.spentTokens);

  const unread = outcomes.filter((outcome) => outcome.failure !== undefined).map((outcome) => outcome.part.label);
  const result: ModelCallResult<string> = {
    ...answer,
    outcome: unread.length === 0 ? answer.outcome : answer.outcome + unreadPartsNote(unread, words),
    usage: addUsage(ledger.usage, answer.usage),
    attempts: [...attempts, ...ledger.attempts, ...answer.attempts],
  };
  const historyText = `[${reading.name}, read in ${readParts} parts] ${question}`;
  await store.keepInReach(prepared.conversationId, { id: reading.id, name: reading.name, question });
  scope.log.info({ document: reading.id, parts: readParts, calls: ledger.calls, ms: clock.now() - startedAt }, "document read in parts");
  yield {
    type: "final",
    reply: await finishAnswer({ ...prepared, userText: historyText }, "long_context", result, { startedAt: scope.startedAt, queuedMs: 0, signal: scope.signal, log: scope.log, cost: scope.cost }, services),
  };
}

/** The notes of every part read (or known before) in the document's order; the document and notes kept for later questions. */
async function keepWhatWasRead(
  reading: DocumentReading,
  outcomes: readonly PartOutcome[],
  known: StoredNotes,
  store: DocumentStore,
): Promise<NoteEntry[]> {
  const notes: Record<string, string | null> = { ...known };
  const entries: NoteEntry[] = [];
  for (const outcome of outcomes) {
    const read = outcome.answer === undefined ? undefined : readNotes(outcome.answer);
    if (read !== undefined) notes[String(outcome.part.index)] = read.notes ?? null;
    entries.push({ first: outcome.part.index, last: outcome.part.index, label: outcome.part.label, notes: read?.notes, ...(outcome.failure === undefined ? {} : { failure: outcome.failure }) });
  }
  if (reading.stored === undefined) {
    const parts: StoredPart[] = outcomes.map((outcome) => ({ ...outcome.part, covers: outcome.answer === undefined ? "" : readNotes(outcome.answer).covers }));
    await store.saveDocument({
      id: reading.id,
      name: reading.name,
      tokens: parts.reduce((total, part) => total + part.tokens, 0),
      parts,
      ...(reading.unreadNote === undefined ? {} : { unreadNote: reading.unreadNote }),
    });
  } else {
    for (const part of reading.stored.parts) {
      const knownNotes = known[String(part.index)];
      if (knownNotes !== undefined && !outcomes.some((outcome) => outcome.part.index === part.index)) {
        entries.push({ first: part.index, last: part.index, label: part.label, notes: knownNotes ?? undefined });
      }
    }
  }
  await store.saveNotes(reading.id, reading.question, notes);
  return entries.sort((first, second) => first.first - second.first);
}

/**
 * The reading played forward before it starts: refused, with the figures, when it would take
 * longer than DOCUMENT_MAX_READING_SECONDS, more than DOCUMENT_MAX_DAY_PERCENT of the tokens
 * the models have left today, or more than the user has left of their daily budget.
 */
async function refuseReading(
  reading: DocumentReading,
  prepared: PreparedRequest,
  services: CoreServices,
  source: PartSource,
  rules: PlacementRules,
  ledger: ReadingLedger,
  scope: ReadingScope,
): Promise<ReturnType<typeof tooLongToRead> | undefined> {
  const { config, clock, registry, store } = services;
  const words = wordingOf(prepared.request);
  const now = clock.now();
  const forecast = forecastReading(PoolSnapshot.of(registry, scope.candidates, now, ledger.held, rules.completionBudget), now, source, rules);
  if (forecast === undefined) return neverFits(reading.shownName, words);
  const documentTokens = source.remainingTokens;
  const readingMs = forecast.lastSendAt - now + 2 * ledger.typicalCallMs;
  if (readingMs > config.documents.maxReadingMs) return tooLongToRead(reading.shownName, documentTokens, readingMs, config.documents.maxReadingMs, words);
  const tokens = forecast.tokens + forecast.parts * expectedNotesTokens + answerAllowanceTokens + estimateTextTokens(reading.question);
  const dayLeft = scope.candidates.reduce((total, model) => {
    const state = registry.state(model);
    return state.isGone ? total : total + state.describe(now).tokensPerDayRemaining;
  }, 0);
  if (tokens > config.documents.maxDayShare * dayLeft) return tooMuchOfTheDay(reading.shownName, tokens, dayLeft, config.documents.maxDayShare, words);
  if (config.userDailyTokens > 0) {
    const used = await loadUsage(store, prefixedId(prepared.request.location.platform, prepared.request.author.id), now);
    if (tokens > config.userDailyTokens - used.tokens) return overUserBudget(reading.shownName, tokens, config.userDailyTokens - used.tokens, words);
  }
  return undefined;
}
