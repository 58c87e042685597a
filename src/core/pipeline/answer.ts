import { BadInputError, type AttemptRecord } from "../errors.js";
import { AnswerCall, reasoningEffortFor } from "../generation/answer-call.js";
import { systemPrompt } from "../generation/conversation-prompt.js";
import type { SelectedModel } from "../generation/model-call.js";
import { acquireModel, runModelCall, type ModelCallEvent, type ModelCallResult } from "../generation/run-model-call.js";
import { readDocument } from "../documents/read-document.js";
import { documentReadingAfter, documentReadingFor } from "../documents/reading-decision.js";
import type { ReplyEvent, ReplyStream } from "../reply.js";
import type { ChatRequest } from "../request.js";
import { routeRequest } from "../routing/smart-router.js";
import type { CoreServices } from "../services.js";
import { refuseAdmission } from "./admit.js";
import { finishAnswer } from "./finish.js";
import { needsTranscription, prepareRequest, type PreparedRequest } from "./prepare.js";
import { errorReply, queuedNotice, stoppedReply } from "./replies.js";
import { screenInput } from "./screen.js";

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

/** A reading spreads over every live answer model, the long_context chain's first: its best model writes the answer. */
function readingCandidates(routeCandidates: readonly string[], services: CoreServices): readonly string[] {
  return [...new Set([...services.registry.chain("long_context"), ...routeCandidates, ...services.registry.answerModels()])];
}

/** A model selected but not called (the message was refused, or screening failed) gives its quota back. */
function releaseUnused(selected: SelectedModel, services: CoreServices): void {
  services.registry.state(selected.model).release(selected.reservation);
  services.queue.quotaFreed();
}

function asReplyEvent(event: ModelCallEvent): ReplyEvent {
  return event.kind === "text" ? { type: "delta", text: event.text } : { type: "queued", waitMs: event.waitMs, notice: queuedNotice(event.waitMs) };
}

/**
 * The pipeline for one addressed message, the steps of docs/architecture.md in order, each
 * handing a typed result to the next: admit → prepare → route → select → screen → generate →
 * finish. Yields deltas and exactly one final reply; never throws.
 *
 * The screen runs after a model is selected, not before: a message told to retry later (every
 * model busy past its deadline) costs no screening call, and screening does not hold up the
 * message's place in the quota queue.
 */
export async function* answerRequest(request: ChatRequest, services: CoreServices, signal: AbortSignal | undefined): ReplyStream {
  const { config, clock, logger } = services;
  const attempts: AttemptRecord[] = [];
  const startedAt = clock.now();
  // Its place in the quota queue and the start of its wait, whatever held it before the core.
  const arrivedAt = Math.min(request.receivedAt ?? startedAt, startedAt);
  const log = logger.child({ platform: request.location.platform, chat: request.location.chatId, message: request.messageId });
  let selected: SelectedModel | undefined;
  let prepared: PreparedRequest | undefined;
  let candidates: readonly string[] = [];
  try {
    // 1. admit
    const refusal = await refuseAdmission(request, services);
    if (refusal !== undefined) {
      yield { type: "final", reply: refusal };
      return;
    }

    // 2. prepare
    yield { type: "working", activity: needsTranscription(request) ? "transcribing" : "thinking" };
    prepared = await prepareRequest(request, services, signal);

    // 3. route
    const route = await routeRequest({ text: prepared.userText, imageCount: prepared.imageDataUrls.length, estimatedTokens: prepared.estimatedTokens, pin: prepared.pin }, services, signal);

    // 4. select: the best model with quota now, or a place in the quota queue
    const call = new AnswerCall(
      {
        role: route.role,
        candidates: route.candidates,
        prompt: {
          system: systemPrompt(route.role, request.location.platform),
          history: prepared.history,
          maxHistoryTurns: config.historyMaxTurns,
          userText: prepared.userText,
          imageDataUrls: prepared.imageDataUrls,
        },
        reasoningEffort: reasoningEffortFor(route.role),
        arrivedAt,
        maxQueueWaitMs: queueWaitWithin(config.maxQueueWaitMs),
        maxContinueWaitMs: config.maxQueueWaitMs,
        timeoutMs: answerTimeoutMs,
      },
      services.client,
      services.budgets,
    );
    candidates = route.candidates;

    // 3½. a document too large for every model (or one a reply to its answer continues) is read in parts
    const reading = await documentReadingFor(prepared, call, services);
    if (reading !== undefined) {
      yield* readDocument(reading, prepared, services, { startedAt, log, signal, candidates: readingCandidates(route.candidates, services) });
      return;
    }

    const acquiring = acquireModel(call, services, new Set(), attempts, signal);
    let queuedAt: number | undefined;
    for (let step = await acquiring.next(); ; step = await acquiring.next()) {
      if (step.done === true) {
        selected = step.value;
        break;
      }
      queuedAt ??= clock.now();
      yield asReplyEvent(step.value);
    }
    const queuedMs = queuedAt === undefined ? 0 : clock.now() - queuedAt;

    // 5. screen what will be answered
    const screenedOut = await screenInput(prepared, services, attempts, log, signal);
    if (screenedOut !== undefined) {
      releaseUnused(selected, services);
      yield { type: "final", reply: screenedOut };
      return;
    }

    // 6. generate, falling back across the candidates, continuing an answer cut at its budget
    if (prepared.heardNote !== "") yield { type: "delta", text: prepared.heardNote };
    const generation = runModelCall(call, services, { signal, first: selected, attempts: attempts.splice(0) });
    selected = undefined;
    let result: ModelCallResult<string> | undefined;
    for (let step = await generation.next(); result === undefined; step = await generation.next()) {
      if (step.done === true) result = step.value;
      else yield asReplyEvent(step.value);
    }

    // 7. finish
    yield { type: "final", reply: await finishAnswer(prepared, route.role, result, { startedAt, queuedMs, signal, log }, services) };
  } catch (error) {
    // A model taken but never called (the screen failed) gives its quota back.
    if (selected !== undefined) releaseUnused(selected, services);
    if (signal?.aborted === true) {
      yield { type: "final", reply: { ...stoppedReply, attempts } };
      return;
    }
    // Every model turned out too small (a limit the headers had not confirmed yet): read it in parts.
    const reading = await documentReadingAfter(error, prepared, services).catch(() => undefined);
    if (reading !== undefined && prepared !== undefined) {
      yield* readDocument(reading, prepared, services, { startedAt, log, signal, candidates: readingCandidates(candidates, services) });
      return;
    }
    if (!(error instanceof BadInputError)) {
      log.error({ error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error) }, "request failed");
    }
    yield { type: "final", reply: errorReply(error, attempts) };
  }
}
