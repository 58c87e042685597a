import type { ModelProfile } from "../models/catalog.js";
import type { ModelRegistry } from "../models/model-registry.js";
import type { Reservation, Unavailability } from "../models/model-state.js";
import { estimateMargin } from "../models/token-estimate.js";
import type { ModelMessage } from "../ports/model-client.js";

/** What one model would be sent for this request (the prompt shaped to its limits), or why it cannot be. */
export type RequestFit =
  | { readonly fits: true; readonly messages: readonly ModelMessage[]; readonly promptTokens: number; readonly completionBudget: number }
  | { readonly fits: false; readonly reason: string };

export interface SelectionRequest {
  /** Candidates in order of preference: the role's chain, then any widening. */
  readonly candidates: readonly string[];
  readonly needsImages: boolean;
  /** Models already tried for this request. */
  readonly excluded: ReadonlySet<string>;
  /** Shapes the request for one model (history trimmed to its window) and says what it costs. */
  readonly fitFor: (profile: ModelProfile) => RequestFit;
  /**
   * When a model's per-minute tokens cannot cover the full completion budget but can cover half
   * of it, the request goes with what is left rather than waiting: whole requests otherwise
   * leave part of every minute's quota unused, and an answer that reaches the smaller budget is
   * continued.
   */
  readonly acceptsHalfBudget?: boolean;
}

export interface SkippedModel {
  readonly model: string;
  readonly reason: string;
}

export type Selection =
  | {
      readonly kind: "selected";
      readonly model: string;
      readonly profile: ModelProfile;
      readonly messages: readonly ModelMessage[];
      readonly promptTokens: number;
      readonly completionBudget: number;
      readonly reservation: Reservation;
      readonly skipped: readonly SkippedModel[];
    }
  | {
      readonly kind: "none";
      /** When the earliest candidate frees up; undefined when no candidate ever could serve this request. */
      readonly earliestAvailableAt: number | undefined;
      /** The models that could take the request once their quota frees up, best first. */
      readonly waitingOn: readonly string[];
      /** What the request would cost the first of them, in tokens (prompt and completion budget). */
      readonly cost: number | undefined;
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
 * window and has the quota to take the request, and reserves that quota at once so
 * concurrent requests see it. A model whose quota is known to be spent is skipped without a
 * call: a provider 429 should be the exception.
 */
export class ModelSelector {
  constructor(private readonly registry: ModelRegistry) {}

  select(request: SelectionRequest, now: number): Selection {
    const skipped: SkippedModel[] = [];
    const waitingOn: string[] = [];
    let cost: number | undefined;
    let earliestAvailableAt: number | undefined;
    for (const model of request.candidates) {
      if (request.excluded.has(model)) continue;
      const profile = this.registry.profile(model);
      if (request.needsImages && !profile.acceptsImages) {
        skipped.push({ model, reason: "does not accept images" });
        continue;
      }
      const fit = request.fitFor(profile);
      if (!fit.fits) {
        skipped.push({ model, reason: fit.reason });
        continue;
      }
      const promptCost = Math.ceil(fit.promptTokens * estimateMargin);
      let completionBudget = fit.completionBudget;
      const state = this.registry.state(model);
      let blocked = state.unavailability(now, promptCost + completionBudget);
      const minimum = request.acceptsHalfBudget === true ? Math.ceil(completionBudget / 2) : undefined;
      if (blocked?.kind === "quota" && blocked.limit === "TPM" && minimum !== undefined && minimum < completionBudget) {
        const shrunk = Math.min(completionBudget, Math.floor(state.freeTokensPerMinute(now) - promptCost));
        if (shrunk >= minimum) {
          completionBudget = shrunk;
          blocked = state.unavailability(now, promptCost + completionBudget);
        }
      }
      if (blocked !== undefined) {
        skipped.push({ model, reason: describeUnavailability(blocked, now) });
        if ("until" in blocked) {
          earliestAvailableAt = earliestAvailableAt === undefined ? blocked.until : Math.min(earliestAvailableAt, blocked.until);
          waitingOn.push(model);
          cost ??= promptCost + completionBudget;
        }
        continue;
      }
      return {
        kind: "selected",
        model,
        profile,
        messages: fit.messages,
        promptTokens: fit.promptTokens,
        completionBudget,
        reservation: state.reserve(now, promptCost + completionBudget),
        skipped,
      };
    }
    return { kind: "none", earliestAvailableAt, waitingOn, cost, skipped };
  }
}
