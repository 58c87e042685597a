import type { ConversationPin } from "../conversation/settings.js";
import type { ModelServices } from "../services.js";
import type { AnswerRole, OrdinaryAnswerRole } from "../roles.js";
import { classifyByHeuristics, confidentThreshold } from "./heuristics/index.js";
import { classifyWithModel } from "./llm-router.js";

export interface RouteInput {
  readonly text: string;
  readonly imageCount: number;
  /** Prompt, history and attachments together. */
  readonly estimatedTokens: number;
  readonly pin?: ConversationPin | undefined;
  /** `/search`: look it up on the web, whatever the heuristics say. */
  readonly wantsSearch?: boolean;
}

export interface Route {
  readonly role: AnswerRole;
  /** The role's live chain, a pinned model first: what `mami route` shows. */
  readonly chain: readonly string[];
  /**
   * Every model that may answer, best first: the chain, then every other live answer model
   * (the other roles' chains, then live models Groq lists that no chain names), so that when
   * the role's chain is spent the rest of the organization's quota still serves. A search has
   * its chain only: an ordinary model cannot look things up, and the pipeline says so when it
   * answers instead (pipeline/search-answer.ts).
   */
  readonly candidates: readonly string[];
  readonly reasons: readonly string[];
  /** What asking the router model cost in tokens (0 when it was not asked), for the user's budget. */
  readonly routerTokens: number;
}

/**
 * The share of the answer models' minute that must be free for hybrid routing to ask a router
 * model that answers too. Groq's cheap routers are retired, so the router chain's live model is
 * an answer model (gpt-oss-20b), and each call takes one of its requests and about 200 tokens
 * of its minute. While answers have room to spare that costs nobody anything; in a burst it
 * costs answers: on forty workloads on virtual time, asked whenever unsure, Mami answered 90.8
 * a burst (92.9% of the first minute's ceiling), asked only with nine tenths free 93.6 (95.5%),
 * with half free 92.9 (94.9%) (docs/architecture.md, "Capacity").
 */
const routerSpareShare = 0.9;

/**
 * Whether the router model may be asked without taking quota that answers need: when it answers
 * no role, always; otherwise only while no request waits for quota and the answer models have
 * `routerSpareShare` of their minute free.
 */
function routerQuotaIsSpare(services: ModelServices): boolean {
  const { registry, queue, clock } = services;
  const answerModels = registry.answerModels();
  if (!registry.chain("router").some((model) => answerModels.includes(model))) return true;
  if (queue.length > 0) return false;
  const now = clock.now();
  let free = 0;
  let whole = 0;
  for (const model of answerModels) {
    const state = registry.state(model);
    free += state.freeTokensPerMinute(now);
    whole += state.tokensPerMinuteLimit;
  }
  return free >= whole * routerSpareShare;
}

/** An ordinary role's route: its chain (a pinned model first), then every other live answer model. */
function ordinaryRoute(role: OrdinaryAnswerRole, services: ModelServices, pinnedModel: string | undefined, reasons: readonly string[], routerTokens: number): Route {
  const { registry } = services;
  const roleChain = registry.chain(role);
  const chain = pinnedModel === undefined ? roleChain : [pinnedModel, ...roleChain.filter((model) => model !== pinnedModel)];
  return { role, chain, candidates: [...chain, ...registry.answerModels().filter((model) => !chain.includes(model))], reasons, routerTokens };
}

/** When a search cannot be made (the user's share is spent, no search system has quota): chat answers instead. */
export function chatRouteInstead(searchRoute: Route, services: ModelServices, pin: ConversationPin | undefined, why: string): Route {
  const pinnedModel = pin !== undefined && "model" in pin ? pin.model : undefined;
  return ordinaryRoute("chat", services, pinnedModel, [...searchRoute.reasons, `${why}; chat answers`], searchRoute.routerTokens);
}

/**
 * Which role answers: images need vision, size needs long context, `/search` asks the web, a
 * pin overrides the rest, and otherwise the heuristics decide, asking the router model only when
 * they are unsure and its quota is spare (`hybrid`) or always (`llm`). A question that needs
 * current information goes to the search role, unless a model is pinned (the pinned model
 * answers it) or no search system is live (chat answers, as an ordinary question).
 */
export async function routeRequest(input: RouteInput, services: ModelServices, signal?: AbortSignal): Promise<Route> {
  const { config, registry } = services;
  const reasons: string[] = [];
  let routerTokens = 0;
  const pinnedModel = input.pin !== undefined && "model" in input.pin ? input.pin.model : undefined;
  const decided = (role: AnswerRole): Route => {
    if (role === "search") {
      const chain = registry.chain("search");
      return { role, chain, candidates: chain, reasons, routerTokens };
    }
    return ordinaryRoute(role, services, pinnedModel, reasons, routerTokens);
  };
  /** Where a question that needs current information goes. */
  const searchOrChat = (): AnswerRole => {
    if (pinnedModel !== undefined) {
      reasons.push("needs current information; the pinned model answers it (/search looks it up)");
      return "chat";
    }
    if (registry.chain("search").length === 0) {
      reasons.push("needs current information, but no search system is live; chat answers");
      return "chat";
    }
    return "search";
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
  if (input.wantsSearch === true) {
    reasons.push("/search");
    return decided("search");
  }
  if (input.pin !== undefined && "role" in input.pin) {
    reasons.push(`pinned role: ${input.pin.role}`);
    return decided(input.pin.role);
  }

  const heuristic = classifyByHeuristics(input.text);
  let chosen = heuristic.role;
  reasons.push(...heuristic.reasons);
  const unsure = heuristic.confidence < confidentThreshold;
  const asksRouter = config.routerMode === "llm" || (config.routerMode === "hybrid" && unsure && routerQuotaIsSpare(services));
  if (asksRouter) {
    const { decided, tokens } = await classifyWithModel(input.text, services, signal);
    routerTokens = tokens;
    if (decided === undefined) {
      reasons.push("router model unavailable; heuristic decision kept");
    } else {
      reasons.push(`router model ${decided.model} chose ${decided.role}`);
      chosen = decided.role;
    }
  } else if (unsure) {
    const busy = config.routerMode === "hybrid" ? "; answers need the router model's quota now" : "";
    reasons.push(`heuristics unsure (confidence ${heuristic.confidence.toFixed(2)})${busy}`);
  }
  return decided(chosen === "search" ? searchOrChat() : chosen);
}
