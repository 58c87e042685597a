/** POST /openai/v1/audio/transcriptions: multipart `file` + `model`, with the same quota and headers as chat. */
import { refuseBeforeAdmission, refuseGoneModel, takeDropFailure } from "./admission.js";
import type { CallInProgress } from "./call-in-progress.js";
import { isSpeechModel } from "./free-tier-models.js";
import { invalidApiKeyError, invalidRequestError } from "./groq-errors.js";
import { readRequestBody, sendJson, sendText } from "./http-io.js";
import { countTextTokens } from "./token-count.js";

export async function handleTranscription(call: CallInProgress): Promise<void> {
  const raw = await readRequestBody(call.request);
  const form = await parseMultipart(raw, call.request.headers["content-type"] ?? "");
  if (form === undefined) return call.fail(400, invalidRequestError("request Content-Type isn't multipart/form-data"));

  const file = form.get("file");
  const model = form.get("model");
  call.model = typeof model === "string" ? model : undefined;
  call.body = describeForm(form);

  if (!call.isAuthorized()) return call.fail(401, invalidApiKeyError());
  if (call.model === undefined) return call.fail(400, invalidRequestError("'model' : property 'model' is missing", "model"));
  const spec = refuseGoneModel(call, call.model);
  if (spec === undefined) return;
  if (!isSpeechModel(spec.id)) return call.fail(400, invalidRequestError(`The model \`${spec.id}\` does not support audio transcription`, "model"));
  if (file === null || typeof file === "string") return call.fail(400, invalidRequestError("'file' : property 'file' is missing", "file"));

  // The transcript is known before admission because the fake's transcriber is a pure function;
  // its tokens stand in for Groq's audio-seconds quota.
  const text = call.state.transcribe(new Uint8Array(await file.arrayBuffer()), file.name);
  const tokens = countTextTokens(text);
  if (refuseBeforeAdmission(call, spec, { promptTokens: 0, upFrontTokens: tokens, checkContextWindow: false })) return;

  call.state.quota(spec.id).charge(tokens, tokens);
  const headers = call.responseHeaders();
  const drop = takeDropFailure(call, spec.id);
  call.record(drop === undefined ? 200 : 0, drop === undefined ? undefined : "drop_stream");
  if (drop !== undefined) return call.dropConnection();

  await call.state.sleep(spec.latencyMs ?? 0);
  if (call.isStopped()) return;
  const responseFormat = form.get("response_format");
  if (responseFormat === "text") return sendText(call.response, 200, text, headers);
  if (responseFormat === "verbose_json") {
    const language = form.get("language");
    return sendJson(
      call.response,
      200,
      { task: "transcribe", language: typeof language === "string" ? language : "en", duration: 1, text, segments: [], x_groq: { id: call.requestId } },
      headers,
    );
  }
  sendJson(call.response, 200, { text, x_groq: { id: call.requestId } }, headers);
}

async function parseMultipart(raw: Buffer, contentType: string): Promise<FormData | undefined> {
  try {
    return await new Response(raw, { headers: { "content-type": contentType } }).formData();
  } catch {
    return undefined;
  }
}

/** The form as recorded in `calls`: fields as text, the file as its name and size. */
function describeForm(form: FormData): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of form.entries()) {
    fields[name] = typeof value === "string" ? value : { name: value.name, size: value.size };
  }
  return fields;
}
