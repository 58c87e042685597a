import { parseArgs } from "node:util";
import { CompletionBudgets } from "../core/generation/completion-budgets.js";
import { ModelCatalog } from "../core/models/catalog.js";
import { ModelRegistry } from "../core/models/model-registry.js";
import { estimateTextTokens, imageTokenEstimate } from "../core/models/token-estimate.js";
import { systemClock } from "../core/ports/clock.js";
import { silentLogger } from "../core/ports/logger.js";
import type { ModelClient } from "../core/ports/model-client.js";
import { routeRequest } from "../core/routing/smart-router.js";
import { ModelSelector } from "../core/selection/model-selector.js";
import { QuotaQueue } from "../core/selection/quota-queue.js";
import type { ModelServices } from "../core/services.js";
import { configOrExit } from "./environment.js";

/** `ROUTER_MODE=heuristic` never calls a model; this stands in so no key is needed. */
const noModelClient: ModelClient = {
  stream: () => Promise.reject(new Error("no model calls in heuristic routing")),
  transcribe: () => Promise.reject(new Error("no model calls in heuristic routing")),
  listModels: () => Promise.resolve([]),
};

/** `mami route [--image] [--tokens N] TEXT`: one JSON line with the decision and its reasons. */
export async function runRouteCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { image: { type: "boolean", default: false }, tokens: { type: "string" } },
    allowPositionals: true,
  });
  const text = positionals.join(" ");
  const tokens = values.tokens === undefined ? undefined : Number(values.tokens);
  if (tokens !== undefined && (!Number.isInteger(tokens) || tokens < 0)) {
    process.stderr.write("mami route: --tokens expects a whole number of tokens\n");
    return 2;
  }
  const config = configOrExit("route");
  const registry = new ModelRegistry(new ModelCatalog(), config.chains, silentLogger, systemClock.now());
  const client =
    config.routerMode === "heuristic"
      ? noModelClient
      : (await import("../providers/groq/groq-model-client.js")).createGroqModelClient({ apiKey: config.groq.apiKey ?? "", baseUrl: config.groq.baseUrl });
  const selector = new ModelSelector(registry);
  const services: ModelServices = {
    config,
    client,
    registry,
    selector,
    queue: new QuotaQueue(selector, registry, systemClock),
    budgets: new CompletionBudgets(),
    clock: systemClock,
    logger: silentLogger,
  };
  const imageCount = values.image ? 1 : 0;
  const estimatedTokens = tokens ?? estimateTextTokens(text) + imageCount * imageTokenEstimate;
  const route = await routeRequest({ text, imageCount, estimatedTokens }, services);
  // The first of the chain that could take it: a fresh process knows no quota spent yet.
  const model =
    route.chain.find((candidate) => {
      const profile = registry.profile(candidate);
      return estimatedTokens < profile.contextWindow && (imageCount === 0 || profile.acceptsImages);
    }) ?? null;
  process.stdout.write(`${JSON.stringify({ role: route.role, model, chain: route.chain, reasons: route.reasons })}\n`);
  return 0;
}
