import type { SharedRefusal } from "../models/shared-reservations.js";
import type { Selection, SelectionRequest } from "./model-selector.js";

type NoneSelected = Extract<Selection, { kind: "none" }>;
type Selected = Extract<Selection, { kind: "selected" }>;

/**
 * A refusal brings this process's mirror of the model up to date, so the next choice usually
 * agrees with the shared quota by itself (a smaller budget that fits what is left, or a wait
 * until the right time). Only a model refused again is set aside until the time it frees.
 */
const refusalsBeforeSettingAside = 2;

/**
 * The models the shared quota refused one request (another process took their quota since this
 * process last looked): those refused again are not candidates for it until they free, and
 * count among the models it waits for meanwhile.
 */
export class SharedRefusals {
  private readonly byModel = new Map<string, { refusal: SharedRefusal; times: number }>();

  add(refusal: SharedRefusal): void {
    this.byModel.set(refusal.model, { refusal, times: (this.byModel.get(refusal.model)?.times ?? 0) + 1 });
  }

  /** The request without the models set aside and not free yet. */
  excluding(request: SelectionRequest, now: number): SelectionRequest {
    const setAside = this.setAside(now).map((refusal) => refusal.model);
    if (setAside.length === 0) return request;
    return { ...request, excluded: new Set([...request.excluded, ...setAside]) };
  }

  /** No model now: the models set aside count among those waited for, freeing when the shared quota said. */
  intoNone(selection: NoneSelected, now: number): NoneSelected {
    const pending = this.setAside(now).filter((refusal) => !selection.waitingOn.includes(refusal.model));
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

  private setAside(now: number): SharedRefusal[] {
    return [...this.byModel.values()].filter(({ refusal, times }) => times >= refusalsBeforeSettingAside && refusal.until > now).map(({ refusal }) => refusal);
  }

  private skips(): { model: string; reason: string }[] {
    return [...this.byModel.values()].map(({ refusal }) => ({ model: refusal.model, reason: refusal.reason }));
  }
}
