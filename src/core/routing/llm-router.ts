import { NoModelAvailableError } from "../errors.js";
import { completeModelCall } from "../generation/run-model-call.js";
import { ServiceCall } from "../generation/service-call.js";
import type { ModelServices } from "../services.js";
import type { HeuristicRole } from "./heuristics/index.js";

const routerInstruction = [
  "You route messages sent to a chat assistant. Pick the role that should answer:",
  '- "chat": conversation, general knowledge, writing, translation, advice',
  '- "logic": math, calculation, proofs, puzzles, formal reasoning',
  '- "code": programming, error messages, stack traces, SQL, shell, configuration files',
  '- "search": needs current information from the web: news, prices, exchange rates, weather, sports results, releases, anything about today or the latest',
  'Reply with JSON only, like {"role":"code"}.',
].join("\n");

/** The router reads the start of a message; the gist is there and the call stays cheap. */
const maxRoutedCharacters = 2_000;
const routerTimeoutMs = 2_500;
/** A non-reasoning model needs ten tokens; a reasoning one a little thinking room. */
const routerCompletionBudget = 200;

const routerRoles: readonly HeuristicRole[] = ["chat", "logic", "code", "search"];

function isRouterRole(value: string | undefined): value is HeuristicRole {
  return (routerRoles as readonly (string | undefined)[]).includes(value);
}

export function parseRouterAnswer(answer: string): HeuristicRole | undefined {
  const json = /"role"\s*:\s*"(chat|logic|code|search)"/i.exec(answer);
  const bare = json ?? /\b(chat|logic|code|search)\b/i.exec(answer);
  const role = bare?.[1]?.toLowerCase();
  return isRouterRole(role) ? role : undefined;
}

/** The router model's decision, if it gave one, and what asking cost in tokens (for the user's budget). */
export interface RouterAnswer {
  readonly decided: { readonly role: HeuristicRole; readonly model: string } | undefined;
  readonly tokens: number;
}

/**
 * One short call to the router chain. Any failure (no quota, timeout, an unreadable answer)
 * decides nothing and the caller keeps the heuristic decision; what the call cost counts anyway.
 */
export async function classifyWithModel(text: string, services: ModelServices, signal: AbortSignal | undefined): Promise<RouterAnswer> {
  const call = new ServiceCall(
    {
      role: "router",
      candidates: services.registry.chain("router"),
      messagesFor: () => [
        { role: "system", content: routerInstruction },
        { role: "user", content: text.slice(0, maxRoutedCharacters) },
      ],
      completionBudgetFor: () => routerCompletionBudget,
      arrivedAt: services.clock.now(),
      maxQueueWaitMs: 0,
      timeoutMs: routerTimeoutMs,
      maxCalls: 1,
      read: parseRouterAnswer,
    },
    services.client,
  );
  try {
    const { outcome: role, model, spentTokens } = await completeModelCall(call, services, signal);
    return { decided: { role, model }, tokens: spentTokens };
  } catch (error) {
    services.logger.debug({ error: error instanceof Error ? error.message : String(error) }, "router model unavailable; keeping the heuristic decision");
    return { decided: undefined, tokens: error instanceof NoModelAvailableError ? error.spentTokens : 0 };
  }
}
