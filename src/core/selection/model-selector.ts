import type { ModelCall, SelectedModel } from "../generation/model-call.js";
import type { ModelRegistry } from "../models/model-registry.js";
import type { Unavailability } from "../models/model-state.js";
import { estimateMargin } from "../models/token-estimate.js";

export interface SelectionRequest {
  readonly call: ModelCall<unknown>;
  /** Models already tried (and failed) or held for earlier requests: not candidates this time. */
  readonly excluded: ReadonlySet<string>;
  /** An answer already under way (a continuation): no later request may delay it in the queue. */
  readonly underWay?: boolean;
}

export interface SkippedModel {
  readonly model: string;
  readonly reason: string;
}

export type Selection =
  | (SelectedModel & { readonly kind: "selected"; readonly skipped: readonly SkippedModel[] })
  | {
      readonly kind: "none";
      /** When the earliest candidate frees up; undefined when no candidate ever could serve this request. */
      readonly earliestAvailableAt: number | undefined;
      /** The models that could take the request once their quota frees up, best first. */
      readonly waitingOn: readonly string[];
      readonly skipped: readonly SkippedModel[];
    };

function describeUnavailability(blocked: Unavailability, now: number): string {
  switch (blocked.kind) {
    case "gone":
      return `gone (${blocked.reason})`;
    case "too_large":
      return `request larger than its ${blocked.limit} tokens per minute`;
    case "cooling_down":
      return `${blocked.reason}, free in ${Math.ceil((blocked.until - now) / 1000)} s`;
    case "circuit_open":
      return `failing, paused for ${Math.ceil((blocked.until - now) / 1000)} s`;
    case "quota":
      return `${blocked.limit} spent, free in ${Math.ceil((blocked.until - now) / 1000)} s`;
  }
}

/**
 * Picks, right now, the first candidate that is live, accepts the input, fits its context
 * window and has the quota to take the call, and reserves that quota at once so concurrent
 * requests see it. A model whose quota is known to be spent is skipped without a call: a
 * provider 429 should be the exception.
 */
export class ModelSelector {
  constructor(private readonly registry: ModelRegistry) {}

  /**
   * What the call would cost each candidate that could ever take it (tokens: prompt with its
   * margin, and the completion budget), without reserving anything: for wait estimates.
   */
  costs({ call, excluded }: SelectionRequest, now: number): Map<string, number> {
    const costs = new Map<string, number>();
    for (const model of call.spec.candidates) {
      if (excluded.has(model)) continue;
      const profile = this.registry.profile(model);
      if (call.spec.needsImages && !profile.acceptsImages) continue;
      const fit = call.fit(profile, this.registry.state(model), now);
      if (fit.fits) costs.set(model, Math.ceil(fit.plan.promptTokens * estimateMargin) + fit.plan.completionBudget);
    }
    return costs;
  }

  select({ call, excluded }: SelectionRequest, now: number): Selection {
    const skipped: SkippedModel[] = [];
    const waitingOn: string[] = [];
    let earliestAvailableAt: number | undefined;
    for (const model of call.spec.candidates) {
      if (excluded.has(model)) continue;
      const profile = this.registry.profile(model);
      if (call.spec.needsImages && !profile.acceptsImages) {
        skipped.push({ model, reason: "does not accept images" });
        continue;
      }
      const state = this.registry.state(model);
      const fit = call.fit(profile, state, now);
      if (!fit.fits) {
        skipped.push({ model, reason: fit.reason });
        continue;
      }
      const cost = Math.ceil(fit.plan.promptTokens * estimateMargin) + fit.plan.completionBudget;
      const blocked = state.unavailability(now, cost);
      if (blocked !== undefined) {
        skipped.push({ model, reason: describeUnavailability(blocked, now) });
        if ("until" in blocked) {
          earliestAvailableAt = earliestAvailableAt === undefined ? blocked.until : Math.min(earliestAvailableAt, blocked.until);
          waitingOn.push(model);
        }
        continue;
      }
      return {
        kind: "selected",
        model,
        profile,
        plan: fit.plan,
        reservation: state.reserve(now, cost),
        skipped,
      };
    }
    return { kind: "none", earliestAvailableAt, waitingOn, skipped };
  }
}
