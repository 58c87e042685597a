import type { Bot } from "grammy";

/** grammY types its signals with the abort-controller shim's AbortSignal; Node's is the same at run time. */
export type GrammySignal = Parameters<Bot["init"]>[0];

/** A signal that aborts a Bot API call after this long, typed as grammY wants it. */
export function timeoutSignal(milliseconds: number): GrammySignal {
  return AbortSignal.timeout(milliseconds) as unknown as GrammySignal;
}
