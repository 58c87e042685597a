import type { Mami } from "../../src/core/mami.js";
import type { ReplySurface } from "../../src/core/presentation/reply-surface.js";
import type { FinalReply } from "../../src/core/reply.js";
import type { ChatRequest } from "../../src/core/request.js";

export interface ReplyObserver {
  /** The first part of a reply is handed to the platform's surface (what users see first). */
  readonly onFirstPart?: (request: ChatRequest) => void;
  /** The core finished the request; its final reply. */
  readonly onFinal?: (request: ChatRequest, reply: FinalReply) => void;
}

/** The surface as the core sees it, telling the observer when the first part goes out. */
function watchedSurface(surface: ReplySurface, onFirstPart: () => void): ReplySurface {
  let first = true;
  return new Proxy(surface, {
    get(target, property) {
      if (property === "sendPart") {
        return (markdown: string, options: Parameters<ReplySurface["sendPart"]>[1]) => {
          if (first) {
            first = false;
            onFirstPart();
          }
          return target.sendPart(markdown, options);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * The core as an adapter sees it, with each reply watched on its way out (benchmarks time the
 * first part; rigs keep the final replies). Every method is delegated by name: the core is a
 * class, so spreading it would lose its methods.
 */
export function observeReplies(mami: Mami, observer: ReplyObserver): Mami {
  return {
    async receive(request, surface, options) {
      const reply = await mami.receive(request, watchedSurface(surface, () => observer.onFirstPart?.(request)), options);
      observer.onFinal?.(request, reply);
      return reply;
    },
    reply: (request, options) => mami.reply(request, options),
    resetConversation: (request) => mami.resetConversation(request),
    getPin: (request) => mami.getPin(request),
    setPin: (request, pin) => mami.setPin(request, pin),
    optionChoices: (request, commandName, optionName) => mami.optionChoices(request, commandName, optionName),
    pinnableModels: () => mami.pinnableModels(),
    modelStatus: () => mami.modelStatus(),
    usageToday: (request) => mami.usageToday(request),
    webSearchToday: (request) => mami.webSearchToday(request),
    queueLength: () => mami.queueLength(),
    observeGroupMessage: (message) => mami.observeGroupMessage(message),
    groupContextWanted: (location) => mami.groupContextWanted(location),
    getPersona: (request) => mami.getPersona(request),
    setPersona: (request, persona) => mami.setPersona(request, persona),
    usageReport: (request) => mami.usageReport(request),
    statsToday: (request) => mami.statsToday(request),
    cancelReadings: (request) => mami.cancelReadings(request),
  };
}
