import type { MamiConfig } from "./config/config.js";
import type { CoreServices, ModelServices } from "./core-services.js";
import { ModelCatalog } from "./models/catalog.js";
import { ModelRegistry } from "./models/model-registry.js";
import { SharedModelKnowledge } from "./models/shared-model-knowledge.js";
import { MamiPipeline } from "./pipeline/mami-pipeline.js";
import type { Clock } from "./ports/clock.js";
import type { KeyValueStore } from "./ports/key-value-store.js";
import type { Logger } from "./ports/logger.js";
import type { DocumentTextExtractor, ImageNormalizer } from "./ports/media.js";
import type { ModelClient } from "./ports/model-client.js";
import type { FinalReply } from "./reply.js";
import { CompletionBudgets } from "./generation/completion-budgets.js";
import { SafetyScreener } from "./safety/screen-batcher.js";
import { ModelSelector } from "./selection/model-selector.js";
import { QuotaQueue } from "./selection/quota-queue.js";

export interface CorePorts {
  readonly client: ModelClient;
  readonly store: KeyValueStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly images: ImageNormalizer;
  readonly documents: DocumentTextExtractor;
  readonly observeReply?: (reply: FinalReply, durationMs: number) => void;
}

/** How long start-up waits for Groq's model list before going on with the configured chains. */
const modelListTimeoutMs = 5_000;

/**
 * Builds the core. Asks Groq which models are live and prunes the rest from every chain (one
 * warning each); if that call fails, keeps the chains and learns at run time instead.
 */
export async function createCore(config: MamiConfig, ports: CorePorts, options: { readonly checkLiveModels?: boolean } = {}): Promise<MamiPipeline> {
  const registry = new ModelRegistry(new ModelCatalog(), config.chains, ports.logger, ports.clock.now());
  if (options.checkLiveModels !== false) {
    try {
      const live = await ports.client.listModels(AbortSignal.timeout(modelListTimeoutMs));
      registry.applyLiveModels(live);
    } catch (error) {
      ports.logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        "could not list Groq's live models; keeping the configured chains and learning at run time",
      );
    }
  }
  // One process knows all it learned; several share what they learn through a shared store.
  if (ports.store.sharedAcrossProcesses) registry.shareThrough(new SharedModelKnowledge(ports.store, ports.logger));
  const selector = new ModelSelector(registry);
  const modelServices: ModelServices = {
    config,
    client: ports.client,
    registry,
    selector,
    queue: new QuotaQueue(selector, registry, ports.clock),
    budgets: new CompletionBudgets(),
    clock: ports.clock,
    logger: ports.logger,
  };
  const services: CoreServices = { ...ports, ...modelServices, safety: new SafetyScreener(modelServices) };
  return new MamiPipeline(services);
}
