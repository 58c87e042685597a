import type { MamiCore } from "../../src/core/mami-core.js";
import type { ReplyEvent } from "../../src/core/reply.js";
import type { ChatRequest } from "../../src/core/request.js";

/**
 * The core as an adapter sees it, with every reply event shown to `observe` on its way through
 * (benchmarks time the first delta; tests keep the final replies). Every method is delegated by
 * name: the core is a class, so spreading it would lose its methods.
 */
export function observeReplies(core: MamiCore, observe: (request: ChatRequest, event: ReplyEvent) => void): MamiCore {
  return {
    async *handle(request, options) {
      for await (const event of core.handle(request, options)) {
        observe(request, event);
        yield event;
      }
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
