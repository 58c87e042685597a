import { RequestCost } from "../conversation/request-cost.js";
import type { BudgetHold } from "../conversation/usage.js";
import { BadInputError, NoModelAvailableError, type AttemptRecord } from "../errors.js";
import { AnswerCall, reasoningEffortFor } from "../generation/answer-call.js";
import { systemPrompt } from "../generation/conversation-prompt.js";
import type { ModelCall, SelectedModel } from "../generation/model-call.js";
import { acquireModel, runModelCall, type ModelCallEvent, type ModelCallResult } from "../generation/run-model-call.js";
import { wordingOf, type Wording } from "../language/wording.js";
import type { Logger } from "../ports/logger.js";
import { readDocument } from "../documents/read-document.js";
import { documentReadingAfter, documentReadingFor } from "../documents/reading-decision.js";
import type { ReplyEvent, ReplyStream } from "../reply.js";
import type { ChatRequest } from "../request.js";
import { chatRouteInstead, routeRequest, type Route } from "../routing/smart-router.js";
import type { CoreServices } from "../services.js";
import { admitRequest } from "./admit.js";
import { preparedEstimate } from "./budget-estimate.js";
import { finishAnswer } from "./finish.js";
import { needsTranscription, prepareRequest, type PreparedRequest } from "./prepare.js";
import { budgetRefusalReply, continuingNotice, errorReply, queuedNotice, searchShareSpentNote, searchUnavailableNote, stoppedReply } from "./replies.js";
import { screenInput } from "./screen.js";
import { citingSearchCall, recordAnsweredSearch, searchQueueWait, searchShareSpent } from "./search-answer.js";

/** An answer that has not finished streaming after this long is cut off (and fallen back from). */
const answerTimeoutMs = 30_000;

/**
 * MAX_QUEUE_WAIT_SECONDS is how long a user waits for a reply when every model is busy. Part of
 * it is kept for the answer itself to arrive (a fifth, at most 10 s), so that a message that
 * gets a model late in its wait is still answered in time, and one that gets none hears so in
 * time to retry.
 */
export function queueWaitWithin(maxReplyWaitMs: number): number {
  return Math.max(0, maxReplyWaitMs - Math.min(10_000, maxReplyWaitMs / 5));
}

/** An answer under way may wait nearly the whole limit to go on: all but the few seconds its last words take to arrive. */
function continueWaitWithin(maxReplyWaitMs: number): number {
  return Math.max(0, maxReplyWaitMs - Math.min(5_000, maxReplyWaitMs / 10));
}

/** A reading spreads over every live answer model, the long_context chain's first: its best model writes the answer. */
function readingCandidates(routeCandidates: readonly string[], services: CoreServices): readonly string[] {
  return [...new Set([...services.registry.chain("long_context"), ...routeCandidates, ...services.registry.answerModels()])];
}

/** A model selected but not called (the message was refused, or screening failed) gives its quota back. */
function releaseUnused(selected: SelectedModel, services: CoreServices): void {
  services.registry.state(selected.model).release(selected.reservation);
  services.queue.quotaFreed();
}

function asReplyEvent(event: ModelCallEvent, words: Wording): ReplyEvent {
  if (event.kind === "text") return { type: "delta", text: event.text };
  return { type: "queued", waitMs: event.waitMs, notice: event.underWay ? continuingNotice(event.waitMs, words) : queuedNotice(event.waitMs, words) };
}

/** The job that answers the route: a search that cites its sources, or an answer. */
function answerCallFor(route: Route, prepared: PreparedRequest, arrivedAt: number, services: CoreServices): ModelCall<string> {
  const { config } = services;
  const { request } = prepared;
  const prompt = {
    system: systemPrompt(route.role, request.location.platform, prepared.persona),
    history: prepared.history,
    maxHistoryTurns: config.historyMaxTurns,
    userText: prepared.userText,
    groupContext: prepared.groupContext,
    // A message with images is routed to vision, never to search.
    imageDataUrls: route.role === "search" ? [] : prepared.imageDataUrls,
  };
  const maxQueueWaitMs = queueWaitWithin(config.maxQueueWaitMs);
  if (route.role === "search") {
    return citingSearchCall({ candidates: route.candidates, prompt, arrivedAt, maxQueueWaitMs: searchQueueWait(maxQueueWaitMs), timeoutMs: answerTimeoutMs }, services, wordingOf(request));
  }
  return new AnswerCall(
    {
      role: route.role,
      candidates: route.candidates,
      prompt,
      reasoningEffort: reasoningEffortFor(route.role),
      arrivedAt,
      maxQueueWaitMs,
      maxContinueWaitMs: continueWaitWithin(config.maxQueueWaitMs),
      timeoutMs: answerTimeoutMs,
      words: wordingOf(request),
    },
    services.client,
    services.budgets,
  );
}

/** Step 4 as reply events: the best model with quota now, or a place in the quota queue (`queued.at` notes when). */
async function* selectModel(
  call: ModelCall<string>,
  services: CoreServices,
  attempts: AttemptRecord[],
  queued: { at: number | undefined },
  signal: AbortSignal | undefined,
  words: Wording,
): AsyncGenerator<ReplyEvent, SelectedModel> {
  const acquiring = acquireModel(call, services, new Set(), attempts, signal);
  for (let step = await acquiring.next(); ; step = await acquiring.next()) {
    if (step.done === true) return step.value;
    queued.at ??= services.clock.now();
    yield asReplyEvent(step.value, words);
  }
}

/** Step 6 as reply events: the fallback engine runs the job to its end. */
async function* generate(
  call: ModelCall<string>,
  services: CoreServices,
  options: Parameters<typeof runModelCall<string>>[2],
  words: Wording,
): AsyncGenerator<ReplyEvent, ModelCallResult<string>> {
  const generation = runModelCall(call, services, options);
  for (let step = await generation.next(); ; step = await generation.next()) {
    if (step.done === true) return step.value;
    yield asReplyEvent(step.value, words);
  }
}

/** A search no search system could take: chat answers, opened by a note saying it could not look things up. */
function isSearchNobodyTook(error: unknown, route: Route): error is NoModelAvailableError {
  return error instanceof NoModelAvailableError && route.role === "search";
}

/**
 * The pipeline for one addressed message, the steps of docs/architecture.md in order, each
 * handing a typed result to the next: admit → prepare → route → select → screen → generate →
 * finish. Yields deltas and exactly one final reply; never throws.
 *
 * The screen runs after a model is selected, not before: a message told to retry later (every
 * model busy past its deadline) costs no screening call, and screening does not hold up the
 * message's place in the quota queue.
 *
 * With a daily budget (USER_DAILY_TOKENS), the request holds its estimated cost from admission
 * (grown once it is prepared) and, however it ends, is charged every token it cost: the
 * answer's calls, its share of the safety screen, the router, transcription.
 */
export async function* answerRequest(request: ChatRequest, services: CoreServices, signal: AbortSignal | undefined): ReplyStream {
  const { config, clock, logger } = services;
  const words = wordingOf(request);
  const attempts: AttemptRecord[] = [];
  const startedAt = clock.now();
  // Its place in the quota queue and the start of its wait, whatever held it before the core.
  const arrivedAt = Math.min(request.receivedAt ?? startedAt, startedAt);
  const log = logger.child({ platform: request.location.platform, chat: request.location.chatId, message: request.messageId });
  let selected: SelectedModel | undefined;
  const cost = new RequestCost();
  let hold: BudgetHold | undefined;
  let prepared: PreparedRequest | undefined;
  let candidates: readonly string[] = [];
  try {
    // 1. admit
    const admission = await admitRequest(request, services);
    if ("refusal" in admission) {
      yield { type: "final", reply: admission.refusal };
      return;
    }
    hold = admission.hold;

    // 2. prepare, and hold what the prepared request is expected to cost
    yield { type: "working", activity: needsTranscription(request) ? "transcribing" : "thinking" };
    prepared = await prepareRequest(request, services, signal, cost);
    const held = await hold?.growTo(preparedEstimate(prepared, config, cost.total));
    if (held !== undefined && "refused" in held) {
      yield { type: "final", reply: budgetRefusalReply(held, config.userDailyTokens, clock.now(), words) };
      return;
    }

    // 3. route
    let route = await routeRequest(
      { text: prepared.userText, imageCount: prepared.imageDataUrls.length, estimatedTokens: prepared.estimatedTokens, pin: prepared.pin, wantsSearch: request.wantsSearch === true },
      services,
      signal,
    );
    cost.add("router", route.routerTokens);
    // Opens an answer that chat gave to a search: why it could not look things up.
    let searchNote = "";
    if (route.role === "search" && (await searchShareSpent(request, services))) {
      route = chatRouteInstead(route, services, prepared.pin, "the user's web searches for today are spent");
      searchNote = searchShareSpentNote(config.searchDailyPerUser, words);
    }

    // 4. select: the best model with quota now, or a place in the quota queue
    let call = answerCallFor(route, prepared, arrivedAt, services);
    candidates = route.candidates;

    // 3½. a document too large for every model (or one a reply to its answer continues) is read in parts
    const reading = route.role === "search" ? undefined : await documentReadingFor(prepared, call, services);
    if (reading !== undefined) {
      yield* readDocument(reading, prepared, services, { startedAt, log, signal, cost, candidates: readingCandidates(route.candidates, services) });
      return;
    }

    const queued: { at: number | undefined } = { at: undefined };
    try {
      selected = yield* selectModel(call, services, attempts, queued, signal, words);
    } catch (error) {
      if (!isSearchNobodyTook(error, route)) throw error;
      route = chatRouteInstead(route, services, prepared.pin, "no search system can take it now");
      searchNote = searchUnavailableNote(words);
      call = answerCallFor(route, prepared, arrivedAt, services);
      selected = yield* selectModel(call, services, attempts, queued, signal, words);
    }
    const queuedMs = queued.at === undefined ? 0 : clock.now() - queued.at;

    // 5. screen what will be answered
    const screenedOut = await screenInput(prepared, services, { attempts, cost, log, signal });
    if (screenedOut !== undefined) {
      releaseUnused(selected, services);
      yield { type: "final", reply: screenedOut };
      return;
    }

    // 6. generate, falling back across the candidates, continuing an answer cut at its budget
    if (prepared.heardNote !== "") yield { type: "delta", text: prepared.heardNote };
    if (searchNote !== "") yield { type: "delta", text: searchNote };
    const first = selected;
    selected = undefined;
    let result: ModelCallResult<string>;
    try {
      result = yield* generate(call, services, { signal, first, attempts: attempts.splice(0) }, words);
    } catch (error) {
      // Every search system failed before writing a word (out of quota for the day, errors).
      if (!isSearchNobodyTook(error, route)) throw error;
      cost.add("answer", error.spentTokens);
      route = chatRouteInstead(route, services, prepared.pin, "every search system failed");
      searchNote = searchUnavailableNote(words);
      yield { type: "delta", text: searchNote };
      call = answerCallFor(route, prepared, arrivedAt, services);
      result = yield* generate(call, services, { signal, attempts: [...error.attempts] }, words);
    }
    cost.add("answer", result.spentTokens);
    if (route.role === "search") await recordAnsweredSearch(request, services);

    // 7. finish
    const answered = searchNote === "" ? result : { ...result, outcome: searchNote + result.outcome };
    yield { type: "final", reply: await finishAnswer(prepared, route.role, answered, { startedAt, queuedMs, signal, log, cost }, services) };
  } catch (error) {
    // A model taken but never called (the screen failed) gives its quota back.
    if (selected !== undefined) releaseUnused(selected, services);
    // The calls of an answer that found no model to finish on cost tokens too.
    if (error instanceof NoModelAvailableError) cost.add("answer", error.spentTokens);
    if (signal?.aborted === true) {
      yield { type: "final", reply: stoppedReply(attempts, words) };
      return;
    }
    // Every model turned out too small (a limit the headers had not confirmed yet): read it in parts.
    const reading = await documentReadingAfter(error, prepared, services).catch(() => undefined);
    if (reading !== undefined && prepared !== undefined) {
      yield* readDocument(reading, prepared, services, { startedAt, log, signal, cost, candidates: readingCandidates(candidates, services) });
      return;
    }
    if (error instanceof NoModelAvailableError && error.retryAfterMs !== undefined) {
      // Busy is the quotas doing their job under load, not a fault: at error level a burst would
      // log a hundred errors a minute and hide the real ones.
      log.info({ role: error.role, retryAfterMs: error.retryAfterMs }, "every model busy; the user was told when to retry");
    } else if (!(error instanceof BadInputError)) {
      log.error({ error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error) }, "request failed");
    }
    yield { type: "final", reply: errorReply(error, attempts, words) };
  } finally {
    await settle(hold, cost, log);
  }
}

/** Charges the user's day what the request cost; a store failure is logged, not shown to the user who has the answer. */
async function settle(hold: BudgetHold | undefined, cost: RequestCost, log: Logger): Promise<void> {
  if (hold === undefined) return;
  try {
    await hold.settle(cost);
  } catch (error) {
    log.error({ error: error instanceof Error ? error.message : String(error), tokens: cost.total }, "could not charge the request to its user's daily budget");
  }
}
