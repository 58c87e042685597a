import type { MamiConfig } from "./config/config.js";
import type { ModelRegistry } from "./models/model-registry.js";
import type { Clock } from "./ports/clock.js";
import type { KeyValueStore } from "./ports/key-value-store.js";
import type { Logger } from "./ports/logger.js";
import type { DocumentTextExtractor, ImageNormalizer } from "./ports/media.js";
import type { ModelClient } from "./ports/model-client.js";
import type { FinalReply } from "./reply.js";
import type { ModelSelector } from "./selection/model-selector.js";

/** What the pipeline's steps share: the ports and the model bookkeeping, built once at start. */
export interface CoreServices {
  readonly config: MamiConfig;
  readonly client: ModelClient;
  readonly registry: ModelRegistry;
  readonly selector: ModelSelector;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly store: KeyValueStore;
  readonly images: ImageNormalizer;
  readonly documents: DocumentTextExtractor;
  /** Told about every final reply (metrics); must not throw. */
  readonly observeReply?: (reply: FinalReply, durationMs: number) => void;
}

/** What routing and service-model calls need: no store, no media. */
export type ModelServices = Pick<CoreServices, "config" | "client" | "registry" | "selector" | "clock" | "logger">;
