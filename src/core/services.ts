import type { MamiConfig } from "./config/config.js";
import type { ReadingsInProgress } from "./documents/readings-in-progress.js";
import type { CompletionBudgets } from "./generation/completion-budgets.js";
import type { ModelRegistry } from "./models/model-registry.js";
import type { Clock } from "./ports/clock.js";
import type { KeyValueStore } from "./ports/key-value-store.js";
import type { Logger } from "./ports/logger.js";
import type { DocumentTextExtractor, ImageNormalizer } from "./ports/media.js";
import type { ModelClient } from "./ports/model-client.js";
import type { SafetyScreener } from "./safety/safety-screener.js";
import type { ModelSelector } from "./selection/model-selector.js";
import type { QuotaQueue } from "./selection/quota-queue.js";

/** The ports the core talks to the outside through; each has a real implementation and a fake. */
export interface CorePorts {
  readonly client: ModelClient;
  readonly store: KeyValueStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly images: ImageNormalizer;
  readonly documents: DocumentTextExtractor;
}

/** What model calls need (the router, the safety screen, answers): the models' bookkeeping, no store, no media. */
export interface ModelServices {
  readonly config: MamiConfig;
  readonly client: ModelClient;
  readonly registry: ModelRegistry;
  readonly selector: ModelSelector;
  /** Requests that wait for quota, in arrival order. */
  readonly queue: QuotaQueue;
  /** Completion budgets learned from what answers use. */
  readonly budgets: CompletionBudgets;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** What the pipeline's steps share, built once at start (mami.ts). */
export interface CoreServices extends CorePorts, ModelServices {
  /** The input and answer screen, batching messages that arrive together. */
  readonly safety: SafetyScreener;
  /** Documents being read in parts, so `/cancel` can stop them. */
  readonly readings: ReadingsInProgress;
}
