import type { ConversationPin } from "../conversation/settings.js";
import type { ModelServices } from "../services.js";
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
  /** The role's live chain, a pinned model first: what `mami route` shows. */
  readonly chain: readonly string[];
  /**
   * Every model that may answer, best first: the chain, then every other live answer model
   * (the other roles' chains, then live models Groq lists that no chain names), so that when
   * the role's chain is spent the rest of the organization's quota still serves.
   */
  readonly candidates: readonly string[];
  readonly reasons: readonly string[];
  /** What asking the router model cost in tokens (0 when it was not asked), for the user's budget. */
  readonly routerTokens: number;
}

/**
 * Which role answers: images need vision, size needs long context, a pin overrides the rest,
 * and otherwise the heuristics decide, asking the router model only when they are unsure
 * (`hybrid`) or always (`llm`).
 */
export async function routeRequest(input: RouteInput, services: ModelServices, signal?: AbortSignal): Promise<Route> {
  const { config, registry } = services;
  const reasons: string[] = [];
  let routerTokens = 0;
  const pinnedModel = input.pin !== undefined && "model" in input.pin ? input.pin.model : undefined;
  const decided = (role: AnswerRole): Route => {
    const roleChain = registry.chain(role);
    const chain = pinnedModel === undefined ? roleChain : [pinnedModel, ...roleChain.filter((model) => model !== pinnedModel)];
    return { role, chain, candidates: [...chain, ...registry.answerModels().filter((model) => !chain.includes(model))], reasons, routerTokens };
  };
  if (pinnedModel !== undefined) reasons.push(`pinned model: ${pinnedModel}`);

  if (input.imageCount > 0) {
    reasons.push(`${input.imageCount} image${input.imageCount === 1 ? "" : "s"}`);
    return decided("vision");
  }
  if (input.estimatedTokens > config.longContextTokens) {
    reasons.push(`about ${input.estimatedTokens} tokens, above LONG_CONTEXT_TOKENS=${config.longContextTokens}`);
    return decided("long_context");
  }
  if (input.pin !== undefined && "role" in input.pin) {
    reasons.push(`pinned role: ${input.pin.role}`);
    return decided(input.pin.role);
  }

  const heuristic = classifyByHeuristics(input.text);
  // Until the search role is wired in, questions about current events go to chat; the router model's type allows "search" too.
  let role: AnswerRole = heuristic.role === "search" ? "chat" : heuristic.role;
  reasons.push(...heuristic.reasons);
  const unsure = heuristic.confidence < confidentThreshold;
  if (config.routerMode === "llm" || (config.routerMode === "hybrid" && unsure)) {
    const { decided, tokens } = await classifyWithModel(input.text, services, signal);
    routerTokens = tokens;
    if (decided === undefined) {
      reasons.push("router model unavailable; heuristic decision kept");
    } else {
      reasons.push(`router model ${decided.model} chose ${decided.role}`);
      role = decided.role === "search" ? "chat" : decided.role;
    }
  } else if (unsure) {
    reasons.push(`heuristics unsure (confidence ${heuristic.confidence.toFixed(2)})`);
  }
  return decided(role);
}
