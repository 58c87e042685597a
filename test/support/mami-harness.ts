import { loadConfig, type MamiConfig } from "../../src/core/config/config.js";
import { chatCommands } from "../../commands/index.js";
import { createMami, type Mami } from "../../src/core/mami.js";
import type { FinalReply } from "../../src/core/reply.js";
import { systemClock, type Clock } from "../../src/core/ports/clock.js";
import type { KeyValueStore } from "../../src/core/ports/key-value-store.js";
import { silentLogger, type Logger } from "../../src/core/ports/logger.js";
import type { DocumentTextExtractor } from "../../src/core/ports/media.js";
import type { ModelClient } from "../../src/core/ports/model-client.js";
import { pdfTextExtractor } from "../../src/media/pdf-text-extractor.js";
import { sharpImageNormalizer } from "../../src/media/sharp-image-normalizer.js";
import { createGroqModelClient } from "../../src/providers/groq/groq-model-client.js";
import { createKeyValueStore } from "../../src/store/create-store.js";
import { freeTierModels, startFakeGroq, type FakeGroq, type FakeModelSpec } from "../fakes/fake-groq/index.js";

export interface MamiHarness {
  readonly mami: Mami;
  /** Every final reply the core produced, in order (as metrics see them). */
  readonly finals: FinalReply[];
  readonly groq: FakeGroq;
  readonly config: MamiConfig;
  readonly store: KeyValueStore;
  readonly storeUrl: string;
  close(): Promise<void>;
}

export interface MamiHarnessOptions {
  /** Overrides on top of the test defaults below. */
  readonly env?: Record<string, string>;
  readonly storeUrl?: string;
  readonly models?: readonly FakeModelSpec[];
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Reuse a running fake Groq (e.g. across a bot restart) instead of starting one. */
  readonly groq?: FakeGroq;
  /** Wraps the real model client, e.g. to count calls under way or to model the time a model takes. */
  readonly wrapClient?: (client: ModelClient) => ModelClient;
  /** Wraps the real PDF reader, e.g. to count the time it works outside a virtual clock. */
  readonly wrapDocuments?: (documents: DocumentTextExtractor) => DocumentTextExtractor;
}

const testKey = "gsk_test_key";

/**
 * The real core, the real store and the real groq-sdk, against a fake Groq on 127.0.0.1 with
 * free-tier models. Defaults keep tests deterministic: heuristic routing, no safety screen, an
 * in-memory store, no footer; each test overrides what it exercises.
 */
export async function startMamiHarness(options: MamiHarnessOptions = {}): Promise<MamiHarness> {
  const clock = options.clock ?? systemClock;
  const ownsGroq = options.groq === undefined;
  const groq = options.groq ?? (await startFakeGroq({ models: options.models ?? freeTierModels, apiKey: testKey, now: () => clock.now() }));
  const storeUrl = options.storeUrl ?? "memory://";
  const config = loadConfig(
    {
      GROQ_API_KEY: testKey,
      GROQ_BASE_URL: groq.url,
      STORE_URL: storeUrl,
      ROUTER_MODE: "heuristic",
      SAFETY: "off",
      REPLY_FOOTER: "off",
      MAX_QUEUE_WAIT_SECONDS: "2",
      ...options.env,
    },
    "ask",
  );
  const store = await createKeyValueStore(config.storeUrl);
  const finals: FinalReply[] = [];
  const mami = await createMami(
    config,
    {
      client: (options.wrapClient ?? ((client: ModelClient) => client))(createGroqModelClient({ apiKey: testKey, baseUrl: config.groq.baseUrl })),
      store,
      clock,
      logger: options.logger ?? silentLogger,
      images: sharpImageNormalizer,
      documents: (options.wrapDocuments ?? ((documents: DocumentTextExtractor) => documents))(pdfTextExtractor),
    },
    { commands: chatCommands, observeReply: (reply) => finals.push(reply) },
  );
  return {
    mami,
    finals,
    groq,
    config,
    store,
    storeUrl,
    async close() {
      await store.close();
      if (ownsGroq) await groq.close();
    },
  };
}
