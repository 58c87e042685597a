import type { MamiConfig } from "./config/config.js";
import type { ModelRegistry } from "./models/model-registry.js";
import type { Clock } from "./ports/clock.js";
import type { KeyValueStore } from "./ports/key-value-store.js";
import type { Logger } from "./ports/logger.js";
import type { DocumentTextExtractor, ImageNormalizer } from "./ports/media.js";
import type { ModelClient } from "./ports/model-client.js";
import type { FinalReply } from "./reply.js";
import type { CompletionBudgets } from "./generation/completion-budgets.js";
import type { SafetyScreener } from "./safety/screen-batcher.js";
import type { ModelSelector } from "./selection/model-selector.js";
import type { QuotaQueue } from "./selection/quota-queue.js";

/** What the pipeline's steps share: the ports and the model bookkeeping, built once at start. */
export interface CoreServices {
  readonly config: MamiConfig;
  readonly client: ModelClient;
  readonly registry: ModelRegistry;
  readonly selector: ModelSelector;
  /** Requests that wait for quota, in arrival order. */
  readonly queue: QuotaQueue;
  /** Completion budgets learned from what answers use. */
  readonly budgets: CompletionBudgets;
  /** The input and answer screen, batching messages that arrive together. */
  readonly safety: SafetyScreener;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly store: KeyValueStore;
  readonly images: ImageNormalizer;
  readonly documents: DocumentTextExtractor;
  /** Told about every final reply (metrics); must not throw. */
  readonly observeReply?: (reply: FinalReply, durationMs: number) => void;
}

/** What routing and service-model calls need: no store, no media. */
export type ModelServices = Pick<CoreServices, "config" | "client" | "registry" | "selector" | "queue" | "budgets" | "clock" | "logger">;
