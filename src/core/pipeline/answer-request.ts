import { classifyAttachment } from "../attachments/classify-attachment.js";
import { AttachmentProblem, prepareAttachments } from "../attachments/prepare-attachments.js";
import { locationKey, resolveConversationId } from "../conversation/conversation-key.js";
import { appendHistory, historyTokens, loadHistory, trimHistory } from "../conversation/history.js";
import { loadSettings } from "../conversation/settings.js";
import { recordUsage } from "../conversation/usage.js";
import type { CoreServices } from "../core-services.js";
import type { AttemptRecord } from "../errors.js";
import { acquireModel, generateWithFallback, type GenerationInput, type GenerationResult, type SelectedModel } from "../generation/generate-with-fallback.js";
import { estimateTextTokens, imageTokenEstimate } from "../models/token-estimate.js";
import type { FinalReply, ReplyEvent, ReplyStream } from "../reply.js";
import { prefixedId, type ChatRequest } from "../request.js";
import type { AnswerRole } from "../roles.js";
import { routeRequest } from "../routing/smart-router.js";
import type { ScreenedContent } from "../safety/safety-prompt.js";
import type { ScreenResult } from "../safety/screen-content.js";
import { refuseAdmission } from "./admission.js";
import { buildPrompt } from "./build-prompt.js";
import { describeWait, errorReply } from "./error-replies.js";
import { reasoningEfforts } from "./role-budgets.js";
import { replyForScreen } from "./safety-replies.js";
import { composeUserText, heardNote, textToScreen } from "./user-message.js";

const answerTimeoutMs = 30_000;

function footer(model: string, role: AnswerRole): string {
  return `\n\n_${model} · ${role}_`;
}

/** Shown at once to a message that waits for quota; the answer replaces it when it comes. */
function queuedNotice(waitMs: number): string {
  return `⏳ Busy right now: your message is in the queue, about ${describeWait(Math.max(waitMs, 1_000))}.`;
}

function final(reply: FinalReply): ReplyEvent {
  return { type: "final", reply };
}

/**
 * The pipeline for one addressed message: admission, prepare, screen and route, select and
 * generate with fallback, finish. Yields deltas and exactly one final reply; never throws.
 */
export async function* answerRequest(request: ChatRequest, services: CoreServices, signal: AbortSignal | undefined): ReplyStream {
  const { config, store, clock, logger } = services;
  const attempts: AttemptRecord[] = [];
  const startedAt = clock.now();
  // Its place in the quota queue, and the start of its wait, whatever kept it before the core.
  const arrivedAt = Math.min(request.receivedAt ?? startedAt, startedAt);
  const log = logger.child({ platform: request.location.platform, chat: request.location.chatId, message: request.messageId });
  const screen = async (content: ScreenedContent): Promise<ScreenResult> => {
    const { result, attempts: safetyAttempts } = await services.safety.screen(content, signal);
    attempts.push(...safetyAttempts);
    return result;
  };
  try {
    // 1. admission
    const refusal = await refuseAdmission(request, services);
    if (refusal !== undefined) {
      yield final(refusal);
      return;
    }

    // 2. prepare
    const conversationId = await resolveConversationId(request, store);
    const [storedHistory, { pin, resetAt = 0 }] = await Promise.all([loadHistory(store, conversationId), loadSettings(store, locationKey(request))]);
    const history = trimHistory(
      storedHistory.filter((turn) => turn.at > resetAt),
      config.historyMaxTurns,
      Number.POSITIVE_INFINITY,
    );
    const attachments = [...request.attachments, ...(request.replyTo?.attachments ?? [])];
    const transcribing = attachments.some((attachment) => classifyAttachment(attachment) === "audio");
    yield { type: "working", activity: transcribing ? "transcribing" : "thinking" };
    const prepared = await prepareAttachments(attachments, services, signal);
    const userText = composeUserText(request, prepared, history.length > 0);
    if (userText.trim() === "") {
      yield final({ kind: "error", failure: "bad_input", text: "Your message looks empty. Write a question, or send an image, a file or a voice message with it.", attempts });
      return;
    }
    const imageDataUrls = prepared.images.map((image) => image.dataUrl);
    const estimatedTokens = estimateTextTokens(userText) + imageDataUrls.length * imageTokenEstimate + historyTokens(history);

    // 3. route
    const route = await routeRequest({ text: userText, imageCount: imageDataUrls.length, estimatedTokens, pin }, services, signal);

    // 4. select: the first model that has quota now, or a place in the quota queue
    const candidates = [...route.chain, ...services.registry.answerModels().filter((model) => !route.chain.includes(model))];
    const generationInput: GenerationInput = {
      role: route.role,
      candidates,
      needsImages: imageDataUrls.length > 0,
      completionBudget: (profile) => services.budgets.budgetFor(route.role, profile.id),
      acceptsHalfBudget: true,
      reasoningEffort: reasoningEfforts[route.role],
      buildPrompt: (profile, budget) =>
        buildPrompt(profile, budget, {
          role: route.role,
          platform: request.location.platform,
          history,
          maxTurns: config.historyMaxTurns,
          user: { text: userText, imageDataUrls },
        }),
      arrivedAt,
      maxQueueWaitMs: config.maxQueueWaitMs,
      timeoutMs: answerTimeoutMs,
      learnsBudgetsFor: route.role,
      ...(signal === undefined ? {} : { signal }),
    };
    const acquisition = acquireModel(generationInput, services, attempts);
    let first: SelectedModel | undefined;
    while (first === undefined) {
      const step = await acquisition.next();
      if (step.done === true) first = step.value;
      else if (step.value.kind === "waiting") yield { type: "working", activity: "waiting_for_quota", notice: queuedNotice(step.value.milliseconds) };
    }

    // 5. screen what will be answered (only that: a message told to retry later costs no screening)
    if (config.safety !== "off") {
      let screenResult: ScreenResult;
      try {
        screenResult = await screen({ userText: textToScreen(request, prepared) || userText, imageDataUrls });
      } catch (error) {
        services.registry.state(first.model).release(first.reservation);
        services.queue.quotaFreed();
        throw error;
      }
      const screenedOut = replyForScreen(screenResult, "input", config.safetyOnOutage, attempts, log);
      if (screenedOut !== undefined) {
        services.registry.state(first.model).release(first.reservation);
        services.queue.quotaFreed();
        yield final(screenedOut);
        return;
      }
    }

    // 6. generate, falling back across the chain and then any capable model
    const generation = generateWithFallback(generationInput, services, first, attempts.splice(0));
    const heard = heardNote(prepared);
    if (heard !== "") yield { type: "delta", text: heard };
    let result: GenerationResult | undefined;
    while (result === undefined) {
      const step = await generation.next();
      if (step.done === true) result = step.value;
      else if (step.value.kind === "text") yield { type: "delta", text: step.value.text };
      else yield { type: "working", activity: "waiting_for_quota", notice: queuedNotice(step.value.milliseconds) };
    }
    attempts.push(...result.attempts);

    // 7. finish
    if (config.safety === "both") {
      const answerScreen = await screen({ userText: request.text || userText, imageDataUrls: [], assistantText: result.text });
      const withheld = replyForScreen(answerScreen, "answer", config.safetyOnOutage, attempts, log);
      if (withheld !== undefined) {
        yield final(withheld);
        return;
      }
    }
    const now = clock.now();
    await Promise.all([
      appendHistory(store, conversationId, [
        { role: "user", text: userText, at: startedAt },
        { role: "assistant", text: result.text, at: now, model: result.model },
      ]),
      recordUsage(store, prefixedId(request.location.platform, request.author.id), now, result.model, result.usage?.totalTokens ?? 0),
    ]);
    log.info({ role: route.role, model: result.model, ms: now - startedAt, tokens: result.usage?.totalTokens, tried: attempts.length }, "answered");
    yield final({
      kind: "answer",
      text: heard + result.text + (config.replyFooter ? footer(result.model, route.role) : ""),
      role: route.role,
      model: result.model,
      ...(result.usage === undefined ? {} : { usage: result.usage }),
      attempts,
    });
  } catch (error) {
    if (!(error instanceof AttachmentProblem)) {
      log.error({ error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error) }, "request failed");
    }
    yield final(errorReply(error, attempts));
  }
}
