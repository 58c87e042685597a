import type { MamiCore } from "../../../src/core/mami-core.js";
import type { ChatRequest } from "../../../src/core/request.js";

export interface CoreSteering {
  /** Aborted when the bench's watch is over, so that nothing still queued runs into the next scenario. */
  readonly stop: AbortSignal;
  /**
   * When set, gives each request the time its message arrived. The Telegram adapter does not
   * set `receivedAt` (see the bench's report); this is what it would pass if it did.
   */
  readonly receivedAtOf?: (request: ChatRequest) => number | undefined;
}

/**
 * The core as the adapter sees it, with the bench's stop signal passed to every request and,
 * optionally, the arrival time the adapter leaves out. Everything else is delegated unchanged.
 */
export function steeredCore(core: MamiCore, steering: CoreSteering): MamiCore {
  return {
    handle(request, options) {
      const receivedAt = steering.receivedAtOf?.(request);
      const signal = options?.signal === undefined ? steering.stop : AbortSignal.any([options.signal, steering.stop]);
      return core.handle(receivedAt === undefined ? request : { ...request, receivedAt }, { signal });
    },
    rememberReply: (request, botMessageIds) => core.rememberReply(request, botMessageIds),
    resetConversation: (request) => core.resetConversation(request),
    getPin: (request) => core.getPin(request),
    setPin: (request, pin) => core.setPin(request, pin),
    pinnableModels: () => core.pinnableModels(),
    modelStatus: () => core.modelStatus(),
    usageToday: (request) => core.usageToday(request),
  };
}
