import type { MamiConfig } from "../core/config/config.js";
import { createCore } from "../core/create-core.js";
import type { MamiPipeline } from "../core/pipeline/mami-pipeline.js";
import { systemClock } from "../core/ports/clock.js";
import type { KeyValueStore } from "../core/ports/key-value-store.js";
import type { Logger } from "../core/ports/logger.js";
import type { FinalReply } from "../core/reply.js";
import { pdfTextExtractor } from "../media/pdf-text-extractor.js";
import { sharpImageNormalizer } from "../media/sharp-image-normalizer.js";
import { createGroqModelClient } from "../providers/groq/groq-model-client.js";
import { createKeyValueStore } from "../store/create-store.js";

export interface Runtime {
  readonly core: MamiPipeline;
  readonly store: KeyValueStore;
  close(): Promise<void>;
}

/** The real ports wired into the core: Groq, the configured store, sharp and pdf-parse. */
export async function createRuntime(
  config: MamiConfig,
  logger: Logger,
  observeReply?: (reply: FinalReply, durationMs: number) => void,
): Promise<Runtime> {
  const store = await createKeyValueStore(config.storeUrl, { logger });
  const core = await createCore(config, {
    client: createGroqModelClient({ apiKey: config.groq.apiKey ?? "", baseUrl: config.groq.baseUrl }),
    store,
    clock: systemClock,
    logger,
    images: sharpImageNormalizer,
    documents: pdfTextExtractor,
    ...(observeReply === undefined ? {} : { observeReply }),
  });
  return { core, store, close: () => store.close() };
}
