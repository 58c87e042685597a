import { chatCommands } from "../commands/index.js";
import type { MamiConfig } from "./core/config/config.js";
import { createMami, type Mami } from "./core/mami.js";
import { systemClock } from "./core/ports/clock.js";
import type { KeyValueStore } from "./core/ports/key-value-store.js";
import type { Logger } from "./core/ports/logger.js";
import type { FinalReply } from "./core/reply.js";
import { pdfTextExtractor } from "./media/pdf-text-extractor.js";
import { sharpImageNormalizer } from "./media/sharp-image-normalizer.js";
import { createGroqModelClient } from "./providers/groq/groq-model-client.js";
import { createKeyValueStore } from "./store/create-store.js";

export interface Runtime {
  readonly mami: Mami;
  readonly store: KeyValueStore;
  close(): Promise<void>;
}

/** The real ports wired into the core: Groq, the configured store, sharp and pdf.js, the chat commands. */
export async function createRuntime(config: MamiConfig, logger: Logger, observeReply?: (reply: FinalReply, durationMs: number) => void): Promise<Runtime> {
  const store = await createKeyValueStore(config.storeUrl, { logger });
  const mami = await createMami(
    config,
    {
      client: createGroqModelClient({ apiKey: config.groq.apiKey ?? "", baseUrl: config.groq.baseUrl }),
      store,
      clock: systemClock,
      logger,
      images: sharpImageNormalizer,
      documents: pdfTextExtractor,
    },
    { commands: chatCommands, ...(observeReply === undefined ? {} : { observeReply }) },
  );
  return { mami, store, close: () => store.close() };
}
