import type { Mami } from "../../../src/core/mami.js";
import type { ChatRequest } from "../../../src/core/request.js";

export interface CoreSteering {
  /** Aborted when the bench's watch is over, so that nothing still queued runs into the next scenario. */
  readonly stop: AbortSignal;
  /** When set, gives each request the time its message arrived, overriding what the adapter passed. */
  readonly receivedAtOf?: (request: ChatRequest) => number | undefined;
}

/**
 * The core as the adapter sees it, with the bench's stop signal passed to every request and,
 * optionally, the arrival time the bench knows. Everything else is delegated unchanged.
 */
export function steeredCore(mami: Mami, steering: CoreSteering): Mami {
  const steer = (request: ChatRequest, options?: { readonly signal?: AbortSignal }): [ChatRequest, { signal: AbortSignal }] => {
    const receivedAt = steering.receivedAtOf?.(request);
    const signal = options?.signal === undefined ? steering.stop : AbortSignal.any([options.signal, steering.stop]);
    return [receivedAt === undefined ? request : { ...request, receivedAt }, { signal }];
  };
  return {
    receive: (request, surface, options) => {
      const [steered, steeredOptions] = steer(request, options);
      return mami.receive(steered, surface, steeredOptions);
    },
    reply: (request, options) => {
      const [steered, steeredOptions] = steer(request, options);
      return mami.reply(steered, steeredOptions);
    },
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
