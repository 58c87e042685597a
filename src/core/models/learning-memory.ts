import { z } from "zod";
import type { CompletionBudgets } from "../generation/completion-budgets.js";
import type { KeyValueStore } from "../ports/key-value-store.js";
import type { Logger } from "../ports/logger.js";
import { answerRoles } from "../roles.js";
import type { ModelRegistry } from "./model-registry.js";

/** Whole answers kept: enough for every pool a burst reads (32 answers each) of the usual roles and models. */
const answersKept = 256;
/** What was learned is forgotten after a week without a save: the models, and what they answer, change. */
const keptForMs = 7 * 24 * 60 * 60_000;
const key = "learned";

const learnedSchema = z.object({
  accounting: z.enum(["usage_only", "reservation_kept"]).optional(),
  answers: z
    .array(
      z.object({
        role: z.enum(answerRoles),
        model: z.string().min(1),
        completionTokens: z.number().nonnegative(),
        promptTokens: z.number().nonnegative().optional(),
      }),
    ),
});
type Learned = z.infer<typeof learnedSchema>;

/**
 * What Mami learned of Groq that is worth keeping across a restart (docs/architecture.md,
 * "Capacity"): how Groq counts finished calls, and how long recent answers were. Without it,
 * every restart (a deploy, a crash) begins again from the starting budgets and an unknown
 * accounting: a burst right after it reserves far more than answers use, and where Groq keeps
 * reservations the accounting probe may meet a 429, until the first answers and headers teach
 * what the process knew a minute before. Kept in the store's "model-state" namespace; written
 * after each whole answer, one write at a time (the latest state wins). What was kept is only a
 * start: the process's own calls correct it as they come.
 */
export class LearningMemory {
  /** As stored: an answer whose prompt size is unknown has no such field. */
  private readonly answers: Learned["answers"];
  private accounting: Learned["accounting"];
  /** The write under way, if any; `changedWhileWriting` asks for one more after it. */
  private writing: Promise<void> | undefined;
  private changedWhileWriting = false;

  private constructor(
    private readonly store: KeyValueStore,
    private readonly logger: Logger,
    learned: Learned,
  ) {
    this.answers = [...learned.answers];
    this.accounting = learned.accounting;
  }

  /** Gives the budgets and the registry what an earlier run kept, and keeps what they learn from now on. */
  static async load(store: KeyValueStore, budgets: CompletionBudgets, registry: ModelRegistry, logger: Logger): Promise<LearningMemory> {
    const learned = await LearningMemory.read(store, logger);
    budgets.restore(learned.answers);
    if (learned.accounting !== undefined) registry.adoptAccounting(learned.accounting);
    const memory = new LearningMemory(store, logger, learned);
    budgets.onAnswerLearned = ({ promptTokens, ...answer }) => {
      memory.answers.push(promptTokens === undefined ? answer : { ...answer, promptTokens });
      if (memory.answers.length > answersKept) memory.answers.splice(0, memory.answers.length - answersKept);
      memory.write();
    };
    registry.onAccountingLearned = (accounting) => {
      if (accounting === "unknown") return;
      memory.accounting = accounting;
      memory.write();
    };
    return memory;
  }

  /** What an earlier run kept; nothing when there is none, or it cannot be read (a store outage, an older shape). */
  private static async read(store: KeyValueStore, logger: Logger): Promise<Learned> {
    const nothing: Learned = { answers: [] };
    try {
      const parsed = learnedSchema.safeParse(await store.get("model-state", key));
      return parsed.success ? { ...parsed.data, answers: parsed.data.answers.slice(-answersKept) } : nothing;
    } catch (error) {
      logger.warn({ error: error instanceof Error ? error.message : String(error) }, "could not read what was learned of Groq before; learning it again");
      return nothing;
    }
  }

  /** Resolves once what was learned so far is in the store (or could not be written). */
  async written(): Promise<void> {
    while (this.writing !== undefined) await this.writing;
  }

  private write(): void {
    if (this.writing !== undefined) {
      this.changedWhileWriting = true;
      return;
    }
    const learned: Learned = { ...(this.accounting === undefined ? {} : { accounting: this.accounting }), answers: [...this.answers] };
    this.writing = this.store.set("model-state", key, learned, keptForMs).then(
      () => this.wrote(),
      (error: unknown) => {
        // A restart then learns it again; the answers themselves are unaffected.
        this.logger.debug({ error: error instanceof Error ? error.message : String(error) }, "could not keep what was learned of Groq");
        this.wrote();
      },
    );
  }

  private wrote(): void {
    this.writing = undefined;
    if (!this.changedWhileWriting) return;
    this.changedWhileWriting = false;
    this.write();
  }
}
