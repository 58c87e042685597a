import { CompletionBudgets, type SeenAnswer } from "../generation/completion-budgets.js";
import { isAnswerRole, type AnswerRole } from "../roles.js";
import type { SharedReservations } from "./shared-reservations.js";

/**
 * Completion budgets that learn from every process's answers, not only this one's: each whole
 * answer is told to the others through the shared quota, and theirs are learned here. Otherwise
 * N processes each start from the starting budgets and need their own first answers, asking for
 * more than answers use N times as long as one process would (docs/architecture.md, "Scaling out").
 */
export class SharedCompletionBudgets extends CompletionBudgets {
  constructor(private readonly sharing: SharedReservations) {
    super();
    sharing.onOthersAnswers = (answers) => {
      for (const answer of answers) if (isAnswerRole(answer.role)) super.observeAnswer(answer.role, answer.model, answer.completionTokens);
    };
  }

  override observeAnswer(role: AnswerRole, model: string, completionTokens: number, promptTokens?: number, cut?: SeenAnswer): void {
    super.observeAnswer(role, model, completionTokens, promptTokens, cut);
    this.sharing.publishAnswer({ role, model, completionTokens });
  }
}
