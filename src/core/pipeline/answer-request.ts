import { classifyAttachment } from "../attachments/classify-attachment.js";
import { AttachmentProblem, prepareAttachments, type PreparedAttachments } from "../attachments/prepare-attachments.js";
import { resolveConversationId, locationKey } from "../conversation/conversation-key.js";
import { appendHistory, historyTokens, loadHistory, trimHistory } from "../conversation/history.js";
import { loadSettings } from "../conversation/settings.js";
import { loadUsage, recordUsage, untilNextUsageDay } from "../conversation/usage.js";
import type { CoreServices } from "../core-services.js";
import type { AttemptRecord } from "../errors.js";
import { generateWithFallback, type GenerationResult } from "../generation/generate-with-fallback.js";
import { estimateTextTokens, imageTokenEstimate } from "../models/token-estimate.js";
import type { FinalReply, ReplyEvent, ReplyStream } from "../reply.js";
import { prefixedId, type ChatRequest } from "../request.js";
import type { AnswerRole } from "../roles.js";
import { routeRequest } from "../routing/smart-router.js";
import { screenContent, type ScreenResult } from "../safety/screen-content.js";
import { isAllowed } from "./access.js";
import { buildPrompt } from "./build-prompt.js";
import { describeWait, errorReply } from "./error-replies.js";

/** Completion budgets per role: Groq charges them against TPM up front, so ask for what the role needs. */
const completionBudgets: Readonly<Record<AnswerRole, number>> = {
  chat: 1_024,
  logic: 2_048,
  code: 2_048,
  vision: 1_024,
  long_context: 2_048,
};
const reasoningEfforts: Readonly<Record<AnswerRole, "low" | "default">> = {
  chat: "low",
  logic: "default",
  code: "default",
  vision: "low",
  long_context: "low",
};
const answerTimeoutMs = 30_000;
/** Screening reads the user's own words and the start of any file: intent shows there. */
const screenedDocumentCharacters = 6_000;

function composeUserText(request: ChatRequest, prepared: PreparedAttachments, continuesHistory: boolean): string {
  const sections: string[] = [];
  const quoted = request.replyTo;
  if (quoted !== undefined && !(quoted.fromBot && continuesHistory) && quoted.text.trim() !== "") {
    sections.push(`(Replying to ${quoted.fromBot ? "your earlier message" : quoted.authorName}: «${quoted.text.trim().slice(0, 4_000)}»)`);
  }
  if (prepared.transcripts.length > 0) sections.push(prepared.transcripts.join("\n"));
  if (request.text.trim() !== "") sections.push(request.text.trim());
  sections.push(...prepared.documents);
  if (sections.length === 0 && prepared.images.length > 0) sections.push("What is in this image?");
  return sections.join("\n\n");
}

function footer(model: string, role: AnswerRole): string {
  return `\n\n_${model} · ${role}_`;
}

function heardNote(prepared: PreparedAttachments): string {
  if (prepared.transcripts.length === 0) return "";
  const heard = prepared.transcripts.join(" ").replace(/\s+/g, " ").trim();
  return `_Heard: "${heard.length > 300 ? `${heard.slice(0, 297)}…` : heard}"_\n\n`;
}

function final(reply: FinalReply): ReplyEvent {
  return { type: "final", reply };
}

/**
 * The pipeline for one addressed message: access, prepare, screen, route, select and generate
 * with fallback, finish. Yields deltas and exactly one final reply; never throws.
 */
export async function* answerRequest(request: ChatRequest, services: CoreServices, signal: AbortSignal | undefined): ReplyStream {
  const { config, store, clock, logger } = services;
  const attempts: AttemptRecord[] = [];
  const startedAt = clock.now();
  const log = logger.child({ platform: request.location.platform, chat: request.location.chatId, message: request.messageId });
  try {
    // 1. access
    if (!isAllowed(request, config)) {
      yield final({ kind: "error", failure: "not_allowed", text: "Sorry, I'm not enabled for you here. Ask the bot's operator for access.", attempts });
      return;
    }
    const userKey = prefixedId(request.location.platform, request.author.id);
    if (config.userDailyTokens > 0) {
      const usage = await loadUsage(store, userKey, clock.now());
      if (usage.tokens >= config.userDailyTokens) {
        yield final({
          kind: "error",
          failure: "budget_spent",
          text: `You have used your ${config.userDailyTokens} tokens for today, so others get their share too. Your budget resets in about ${describeWait(untilNextUsageDay(clock.now()))}.`,
          attempts,
        });
        return;
      }
    }

    // 2. prepare
    const conversationId = await resolveConversationId(request, store);
    const [storedHistory, settings] = await Promise.all([loadHistory(store, conversationId), loadSettings(store, locationKey(request))]);
    const { pin, resetAt = 0 } = settings;
    const history = trimHistory(
      storedHistory.filter((turn) => turn.at > resetAt),
      config.historyMaxTurns,
      Number.POSITIVE_INFINITY,
    );
    const attachments = [...request.attachments, ...(request.replyTo?.attachments ?? [])];
    if (attachments.some((attachment) => classifyAttachment(attachment) === "audio")) {
      yield { type: "working", activity: "transcribing" };
    } else {
      yield { type: "working", activity: "thinking" };
    }
    const prepared = await prepareAttachments(attachments, services, signal, () => undefined);
    const userText = composeUserText(request, prepared, history.length > 0);
    if (userText.trim() === "") {
      yield final({ kind: "error", failure: "bad_input", text: "Your message looks empty. Write a question, or send an image, a file or a voice message with it.", attempts });
      return;
    }
    const imageDataUrls = prepared.images.map((image) => image.dataUrl);
    const estimatedTokens = estimateTextTokens(userText) + imageDataUrls.length * imageTokenEstimate + historyTokens(history);

    // 3 and 4. screen and route; both are short calls, so they run side by side
    const screening: Promise<ScreenResult | undefined> =
      config.safety === "off"
        ? Promise.resolve(undefined)
        : screenContent(
            {
              userText: [request.text, ...prepared.transcripts, ...prepared.documents.map((document) => document.slice(0, screenedDocumentCharacters))]
                .filter((text) => text.trim() !== "")
                .join("\n\n") || userText.slice(0, screenedDocumentCharacters),
              imageDataUrls,
            },
            services,
            signal,
          ).then(({ result, attempts: safetyAttempts }) => {
            attempts.push(...safetyAttempts);
            return result;
          });
    if (config.safety !== "off") yield { type: "working", activity: "screening" };
    const [screenResult, route] = await Promise.all([
      screening,
      routeRequest({ text: userText, imageCount: imageDataUrls.length, estimatedTokens, pin }, services, signal),
    ]);
    if (screenResult?.outcome === "unsafe") {
      log.info({ categories: screenResult.categories }, "input refused by the safety screen");
      yield final({
        kind: "refusal",
        text: `I can't help with that: it falls under ${screenResult.categories.join(", ")}.`,
        refusedCategories: screenResult.categories,
        attempts,
      });
      return;
    }
    if (screenResult?.outcome === "unavailable") {
      if (config.safetyOnOutage === "block") {
        log.warn({ reason: screenResult.reason }, "safety screen unavailable; blocking as SAFETY_ON_OUTAGE=block");
        yield final({
          kind: "error",
          failure: "no_model_available",
          text: "I can't check messages for safety right now, so I'm not answering. Please try again in a minute.",
          attempts,
        });
        return;
      }
      log.warn({ reason: screenResult.reason }, "safety screen unavailable; answering as SAFETY_ON_OUTAGE=allow");
    }

    // 5 and 6. select and generate, falling back across the chain and then any capable model
    const candidates = [...route.chain, ...services.registry.answerModels().filter((model) => !route.chain.includes(model))];
    const generation = generateWithFallback(
      {
        role: route.role,
        candidates,
        needsImages: imageDataUrls.length > 0,
        completionBudget: completionBudgets[route.role],
        minimumCompletionBudget: completionBudgets[route.role] / 2,
        reasoningEffort: reasoningEfforts[route.role],
        buildPrompt: (profile, budget) =>
          buildPrompt(profile, budget, {
            role: route.role,
            platform: request.location.platform,
            history,
            maxTurns: config.historyMaxTurns,
            user: { text: userText, imageDataUrls },
          }),
        maxQueueWaitMs: config.maxQueueWaitMs,
        timeoutMs: answerTimeoutMs,
        ...(signal === undefined ? {} : { signal }),
      },
      services,
    );
    const heard = heardNote(prepared);
    if (heard !== "") yield { type: "delta", text: heard };
    let result: GenerationResult | undefined;
    while (result === undefined) {
      const step = await generation.next();
      if (step.done === true) result = step.value;
      else if (step.value.kind === "text") yield { type: "delta", text: step.value.text };
      else yield { type: "working", activity: "waiting_for_quota" };
    }
    attempts.push(...result.attempts);

    // 7. finish
    if (config.safety === "both") {
      const { result: answerScreen, attempts: safetyAttempts } = await screenContent(
        { userText: request.text || userText.slice(0, screenedDocumentCharacters), imageDataUrls: [], assistantText: result.text },
        services,
        signal,
      );
      attempts.push(...safetyAttempts);
      if (answerScreen.outcome === "unsafe") {
        log.info({ categories: answerScreen.categories, model: result.model }, "answer withheld by the safety screen");
        yield final({
          kind: "refusal",
          text: `I can't share that answer: it falls under ${answerScreen.categories.join(", ")}.`,
          refusedCategories: answerScreen.categories,
          attempts,
        });
        return;
      }
    }
    const now = clock.now();
    await Promise.all([
      appendHistory(store, conversationId, [
        { role: "user", text: userText, at: startedAt },
        { role: "assistant", text: result.text, at: now, model: result.model },
      ]),
      recordUsage(store, userKey, now, result.model, result.usage?.totalTokens ?? 0),
    ]);
    log.info(
      { role: route.role, model: result.model, ms: now - startedAt, tokens: result.usage?.totalTokens, tried: attempts.length },
      "answered",
    );
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
