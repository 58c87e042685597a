/** GET /openai/v1/models and GET /openai/v1/models/{id}: only live models exist for the key. */
import type { CallInProgress } from "./call-in-progress.js";
import { invalidApiKeyError, modelNotFoundError, serverError } from "./groq-errors.js";
import { sendJson } from "./http-io.js";
import type { FakeModelSpec } from "./types.js";

/** Fixed so that listings are deterministic; Groq's values are creation dates nobody reads. */
const createdSeconds = 1_735_689_600;

export function handleListModels(call: CallInProgress): void {
  if (!call.isAuthorized()) return call.fail(401, invalidApiKeyError());
  if (call.state.listModelsFails) return call.fail(500, serverError(500));
  call.record(200);
  sendJson(call.response, 200, { object: "list", data: call.state.liveModels().map(describeModel) }, { "x-request-id": call.requestId });
}

export function handleRetrieveModel(call: CallInProgress, model: string): void {
  call.model = model;
  if (!call.isAuthorized()) return call.fail(401, invalidApiKeyError());
  const spec = call.state.liveModels().find((live) => live.id === model);
  if (spec === undefined) return call.fail(404, modelNotFoundError(model));
  call.record(200);
  sendJson(call.response, 200, describeModel(spec), { "x-request-id": call.requestId });
}

function describeModel(spec: FakeModelSpec) {
  return {
    id: spec.id,
    object: "model",
    created: createdSeconds,
    owned_by: ownerOf(spec.id),
    active: true,
    context_window: spec.contextWindow,
    max_completion_tokens: spec.maxOutputTokens,
    public_apps: null,
  };
}

function ownerOf(modelId: string): string {
  if (modelId.startsWith("openai/") || modelId.startsWith("whisper-")) return "OpenAI";
  if (modelId.startsWith("qwen/")) return "Alibaba Cloud";
  if (modelId.startsWith("moonshotai/")) return "Moonshot AI";
  if (modelId.startsWith("meta-llama/") || modelId.startsWith("llama")) return "Meta";
  return "Groq";
}
