import type { ModelServices } from "../core-services.js";
import type { ConversationPin } from "../mami-core.js";
import type { AnswerRole } from "../roles.js";
import { classifyByHeuristics, confidentThreshold } from "./heuristics/index.js";
import { classifyWithModel } from "./llm-router.js";

export interface RouteInput {
  readonly text: string;
  readonly imageCount: number;
  /** Prompt, history and attachments together. */
  readonly estimatedTokens: number;
  readonly pin?: ConversationPin | undefined;
}

export interface Route {
  readonly role: AnswerRole;
  /** Candidates in order: a pinned model first, then the role's live chain. */
  readonly chain: readonly string[];
  readonly reasons: readonly string[];
}

/**
 * Which role answers: images need vision, size needs long context, a pin overrides the rest,
 * and otherwise the heuristics decide, asking the router model only when they are unsure
 * (`hybrid`) or always (`llm`).
 */
export async function routeRequest(input: RouteInput, services: ModelServices, signal?: AbortSignal): Promise<Route> {
  const { config, registry } = services;
  const reasons: string[] = [];
  const pinnedModel = input.pin !== undefined && "model" in input.pin ? input.pin.model : undefined;
  const withPinnedModel = (role: AnswerRole): readonly string[] => {
    const chain = registry.chain(role);
    return pinnedModel === undefined ? chain : [pinnedModel, ...chain.filter((model) => model !== pinnedModel)];
  };
  if (pinnedModel !== undefined) reasons.push(`pinned model: ${pinnedModel}`);

  if (input.imageCount > 0) {
    reasons.push(`${input.imageCount} image${input.imageCount === 1 ? "" : "s"}`);
    return { role: "vision", chain: withPinnedModel("vision"), reasons };
  }
  if (input.estimatedTokens > config.longContextTokens) {
    reasons.push(`about ${input.estimatedTokens} tokens, above LONG_CONTEXT_TOKENS=${config.longContextTokens}`);
    return { role: "long_context", chain: withPinnedModel("long_context"), reasons };
  }
  if (input.pin !== undefined && "role" in input.pin) {
    reasons.push(`pinned role: ${input.pin.role}`);
    return { role: input.pin.role, chain: withPinnedModel(input.pin.role), reasons };
  }

  const heuristic = classifyByHeuristics(input.text);
  // Until the search role is wired in, questions about current events go to chat; the router model's type allows "search" too.
  let role: AnswerRole = heuristic.role === "search" ? "chat" : heuristic.role;
  reasons.push(...heuristic.reasons);
  const unsure = heuristic.confidence < confidentThreshold;
  if (config.routerMode === "llm" || (config.routerMode === "hybrid" && unsure)) {
    const decided = await classifyWithModel(input.text, services, signal);
    if (decided === undefined) {
      reasons.push("router model unavailable; heuristic decision kept");
    } else {
      reasons.push(`router model ${decided.model} chose ${decided.role}`);
      role = decided.role === "search" ? "chat" : decided.role;
    }
  } else if (unsure) {
    reasons.push(`heuristics unsure (confidence ${heuristic.confidence.toFixed(2)})`);
  }
  return { role, chain: withPinnedModel(role), reasons };
}
