import type { SharedRefusal } from "../models/shared-reservations.js";
import type { Selection, SelectionRequest } from "./model-selector.js";

type NoneSelected = Extract<Selection, { kind: "none" }>;
type Selected = Extract<Selection, { kind: "selected" }>;

/**
 * The models the shared quota refused one request (another process took their quota since this
 * process last looked): not candidates for it until they free, and among the models it waits
 * for meanwhile.
 */
export class SharedRefusals {
  private readonly byModel = new Map<string, SharedRefusal>();

  add(refusal: SharedRefusal): void {
    this.byModel.set(refusal.model, refusal);
  }

  /** The request without the models refused and not free yet. */
  excluding(request: SelectionRequest, now: number): SelectionRequest {
    const refused = [...this.byModel.values()].filter((refusal) => refusal.until > now).map((refusal) => refusal.model);
    if (refused.length === 0) return request;
    return { ...request, excluded: new Set([...request.excluded, ...refused]) };
  }

  /** No model now: the refused ones count among those waited for, freeing when the shared quota said. */
  intoNone(selection: NoneSelected, now: number): NoneSelected {
    const pending = [...this.byModel.values()].filter((refusal) => refusal.until > now && !selection.waitingOn.includes(refusal.model));
    if (pending.length === 0) return selection;
    const earliest = Math.min(...pending.map((refusal) => refusal.until), selection.earliestAvailableAt ?? Number.POSITIVE_INFINITY);
    return {
      ...selection,
      earliestAvailableAt: earliest,
      waitingOn: [...selection.waitingOn, ...pending.map((refusal) => refusal.model)],
      skipped: [...this.skips(), ...selection.skipped],
    };
  }

  /** A model taken: the refusals on the way are noted among the models skipped. */
  intoSelected(selection: Selected): Selected {
    if (this.byModel.size === 0) return selection;
    return { ...selection, skipped: [...this.skips(), ...selection.skipped] };
  }

  private skips(): { model: string; reason: string }[] {
    return [...this.byModel.values()].map((refusal) => ({ model: refusal.model, reason: refusal.reason }));
  }
}
