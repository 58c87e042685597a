/**
 * Reasoning parameters, validated like Groq does so that the provider's parameters are checked on
 * the wire, and where the reasoning text goes in the answer.
 * - gpt-oss: reasoning_effort low | medium | high; reasoning in `reasoning` unless
 *   include_reasoning is false (or reasoning_format is hidden); never inside the content.
 * - qwen: reasoning_effort none | default; reasoning_format raw (default, <think> in the content),
 *   parsed (`reasoning`), hidden (omitted).
 * - Everything else: reasoning_format and reasoning_effort are refused.
 */
import { invalidRequestError, type GroqErrorBody } from "./groq-errors.js";
import { isPresent, isRecord } from "./json-values.js";
import type { FakeModelSpec } from "./types.js";

export type ReasoningPlacement = "none" | "think_tags_in_content" | "reasoning_field";

export interface ReasoningPlan {
  placement: ReasoningPlacement;
  /** The reasoning the model "produced"; it costs completion tokens even when hidden. */
  text: string;
}

const reasoningFormats = ["raw", "parsed", "hidden"];
/** Each family's efforts, lowest first. */
const effortsByFamily = { "gpt-oss": ["low", "medium", "high"], qwen: ["none", "default"] } as const;

export function validateReasoningParameters(spec: FakeModelSpec, body: Record<string, unknown>): GroqErrorBody | undefined {
  const { reasoning_format: format, reasoning_effort: effort, include_reasoning: includeReasoning } = body;
  if (spec.reasoning === undefined) {
    if (isPresent(format)) return invalidRequestError("reasoning_format is not supported with this model", "reasoning_format");
    if (isPresent(effort)) return invalidRequestError("reasoning_effort is not supported with this model", "reasoning_effort");
    return undefined;
  }
  const allowedEfforts: readonly string[] = effortsByFamily[spec.reasoning];
  if (isPresent(effort) && (typeof effort !== "string" || !allowedEfforts.includes(effort))) {
    return invalidRequestError(`\`reasoning_effort\` must be one of ${allowedEfforts.map((value) => `\`${value}\``).join(", ")} for model \`${spec.id}\``, "reasoning_effort");
  }
  if (isPresent(format) && (typeof format !== "string" || !reasoningFormats.includes(format))) {
    return invalidRequestError("`reasoning_format` must be one of `raw`, `parsed`, `hidden`", "reasoning_format");
  }
  if (isPresent(includeReasoning) && typeof includeReasoning !== "boolean") {
    return invalidRequestError("`include_reasoning` must be a boolean", "include_reasoning");
  }
  if (isPresent(includeReasoning) && isPresent(format)) {
    return invalidRequestError("`include_reasoning` and `reasoning_format` are mutually exclusive: set only one of them", "reasoning_format");
  }
  // Groq's reasoning docs: raw is refused when JSON mode or tools are on, as those modes cannot carry <think> tags.
  if (format === "raw" && usesJsonModeOrTools(body)) {
    return invalidRequestError("reasoning_format `raw` is not supported with JSON mode or tool use; use `parsed` or `hidden`", "reasoning_format");
  }
  return undefined;
}

/** Call only after validateReasoningParameters accepted the body. */
export function planReasoning(spec: FakeModelSpec, body: Record<string, unknown>, lastUserText: string): ReasoningPlan {
  const { reasoning_format: format, reasoning_effort: effort, include_reasoning: includeReasoning } = body;
  if (spec.reasoning === undefined) return { placement: "none", text: "" };

  if (spec.reasoning === "gpt-oss") {
    const text = reasoningText(lastUserText, effort === "low" ? 1 : effort === "high" ? 3 : 2);
    const shown = includeReasoning !== false && format !== "hidden";
    return { placement: shown ? "reasoning_field" : "none", text };
  }

  if (effort === "none") return { placement: "none", text: "" };
  const text = reasoningText(lastUserText, 2);
  if (includeReasoning === true || format === "parsed") return { placement: "reasoning_field", text };
  if (includeReasoning === false || format === "hidden") return { placement: "none", text };
  // Unset format: raw, except where raw is impossible (JSON mode, tools) and Groq falls back to parsed.
  return { placement: usesJsonModeOrTools(body) ? "reasoning_field" : "think_tags_in_content", text };
}

/**
 * The reasoning the model produces at its lowest effort, for a conversation whose last user
 * message is `lastUserText`: what no caller can make it skip. gpt-oss reasons even at "low";
 * qwen's "none" and models without reasoning produce none. It is planReasoning's own text at that
 * effort, so it is exactly what such a call is charged for.
 */
export function leastReasoningText(spec: FakeModelSpec, lastUserText: string): string {
  if (spec.reasoning === undefined) return "";
  const [lowestEffort] = effortsByFamily[spec.reasoning];
  return planReasoning(spec, { reasoning_effort: lowestEffort }, lastUserText).text;
}

function usesJsonModeOrTools(body: Record<string, unknown>): boolean {
  const responseFormat = body.response_format;
  const jsonMode = isRecord(responseFormat) && (responseFormat.type === "json_object" || responseFormat.type === "json_schema");
  const tools = Array.isArray(body.tools) && body.tools.length > 0;
  return jsonMode || tools;
}

function reasoningText(lastUserText: string, sentences: number): string {
  const excerpt = lastUserText.length > 80 ? `${lastUserText.slice(0, 80)}…` : lastUserText;
  const steps = [`The user wrote "${excerpt}".`, "I should answer directly and keep it short.", "Let me check the wording once more before replying."];
  return steps.slice(0, sentences).join(" ");
}
