/** POST /openai/v1/chat/completions */
import { refuseBeforeAdmission, refuseGoneModel, takeDropFailure, takeHeaderFailure } from "./admission.js";
import type { CallInProgress } from "./call-in-progress.js";
import { completionBudget, validateChatRequest } from "./chat-validation.js";
import { runCompoundTools, validateCompoundRequest } from "./compound.js";
import { isSpeechModel } from "./free-tier-models.js";
import { invalidApiKeyError, invalidRequestError, serverError } from "./groq-errors.js";
import { readRequestBody, sendJson } from "./http-io.js";
import { isRecord, lastUserMessageText } from "./json-values.js";
import { planReasoning } from "./reasoning.js";
import { completionBody, composeAnswer, type CompletionIdentity } from "./responses.js";
import { streamCompletion } from "./streaming.js";
import { countPromptTokens } from "./token-count.js";
import type { ChatCall } from "./types.js";

export async function handleChatCompletion(call: CallInProgress): Promise<void> {
  const body = parseJson(await readRequestBody(call.request));
  if (!isRecord(body)) {
    return call.fail(400, invalidRequestError("We could not parse the JSON body of your request. The OpenAI API expects a JSON payload."));
  }
  call.body = body;
  call.model = typeof body.model === "string" ? body.model : undefined;
  call.stream = body.stream === true;

  if (!call.isAuthorized()) return call.fail(401, invalidApiKeyError());
  if (call.model === undefined) return call.fail(400, invalidRequestError("'model' : property 'model' is missing", "model"));
  const spec = refuseGoneModel(call, call.model);
  if (spec === undefined) return;
  if (isSpeechModel(spec.id)) return call.fail(400, invalidRequestError(`The model \`${spec.id}\` does not support chat completions`, "model"));
  const invalid = validateChatRequest(spec, body) ?? validateCompoundRequest(spec, body);
  if (invalid !== undefined) return call.fail(400, invalid);

  await call.state.sleep(spec.admissionDelayMs ?? 0);
  if (call.isStopped()) return;
  const messages = body.messages as unknown[];
  const promptTokens = countPromptTokens(messages);
  const maxCompletionTokens = completionBudget(spec, body);
  const upFrontTokens = promptTokens + maxCompletionTokens;
  if (refuseBeforeAdmission(call, spec, { promptTokens, upFrontTokens, checkContextWindow: true })) return;

  const chatCall: ChatCall = { model: spec.id, messages, stream: call.stream, maxCompletionTokens, body, promptTokens };
  let answerText: string;
  try {
    answerText = call.state.respond(chatCall);
  } catch (error) {
    // A throwing responder is a bug in the test; a 500 that names it is easier to find than a hang.
    const reason = error instanceof Error ? error.message : String(error);
    return call.fail(500, { error: { ...serverError(500).error, message: `Internal Server Error (fake responder threw: ${reason})` } });
  }
  const answer = composeAnswer(answerText, planReasoning(spec, body, lastUserMessageText(messages)), maxCompletionTokens);
  // A compound system searches the web before it answers.
  const compound = runCompoundTools(spec, messages, call.state.search);
  const quota = call.state.quota(spec.id);
  const charged = quota.charge(upFrontTokens, promptTokens + answer.completionTokens);
  const cachedTokens = Math.min(promptTokens, call.state.cachedPromptTokens(spec, systemMessageText(messages)));
  const headers = spoiledHeaders(call.responseHeaders(), takeHeaderFailure(call, spec.id));
  const drop = takeDropFailure(call, spec.id);
  // A dropped non-streamed call never gets a status line: the client sees only a broken connection.
  call.record(drop !== undefined && !call.stream ? 0 : 200, drop === undefined ? undefined : "drop_stream", {
    upFront: upFrontTokens,
    prompt: promptTokens,
    completion: answer.completionTokens,
    cached: cachedTokens,
  });

  await call.state.sleep(spec.latencyMs ?? 0);
  if (call.isStopped()) return;
  const identity: CompletionIdentity = {
    completionId: call.state.nextId("chatcmpl-fake-"),
    requestId: call.requestId,
    model: spec.id,
    created: Math.floor(call.at / 1000),
  };
  // After processing: cached tokens come off the limits, and the unused budget too where Groq gives it back.
  const settle = (): void => {
    const used = promptTokens - cachedTokens + answer.completionTokens;
    quota.recharge(charged, call.state.completionAccounting === "usage_only" ? used : upFrontTokens - cachedTokens, used);
  };
  if (!call.stream) {
    if (drop !== undefined) return call.dropConnection();
    settle();
    return sendJson(call.response, 200, completionBody(identity, answer, promptTokens, cachedTokens, compound), headers);
  }
  await streamCompletion(call.response, {
    identity,
    answer,
    promptTokens,
    cachedTokens,
    headers,
    compound,
    chunkDelayMilliseconds: spec.chunkDelayMs ?? 0,
    includeTopLevelUsage: isRecord(body.stream_options) && body.stream_options.include_usage === true,
    dropAfterChunks: drop?.afterChunks,
    sleep: (milliseconds) => call.state.sleep(milliseconds),
    isStopped: () => call.isStopped(),
  });
  if (drop === undefined) settle();
}

function systemMessageText(messages: unknown[]): string | undefined {
  const first = messages[0];
  return isRecord(first) && first.role === "system" && typeof first.content === "string" ? first.content : undefined;
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    return undefined;
  }
}

/** The x-ratelimit-* headers taken away, or replaced by values no parser can read. */
function spoiledHeaders(headers: Record<string, string>, spoil: "missing" | "garbled" | undefined): Record<string, string> {
  if (spoil === undefined) return headers;
  const spoiled: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith("x-ratelimit-")) spoiled[name] = value;
    else if (spoil === "garbled") spoiled[name] = name.includes("reset") ? "soon-ish" : value === "0" ? "-1" : "lots";
  }
  return spoiled;
}
