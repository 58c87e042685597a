import type { CompletionAccounting } from "../models/model-state.js";
import type { AnswerRole } from "../roles.js";

/**
 * How many completion tokens to ask a model for. Groq charges the budget against TPM before a
 * call runs, so asking every answer for the worst case (2,048 tokens when answers use a few
 * hundred) shrinks a model's minute to a handful of requests; asking too little costs a
 * continuation, which sends the prompt and the answer so far again. The budget is chosen from
 * what whole answers of the role really used on that model (their completion tokens, learned
 * from `usage`), to cost the least per answer under the accounting Groq's headers showed
 * (docs/architecture.md, "Capacity"):
 *
 * - reservation kept (or not yet known): every call keeps `prompt + budget` for a minute, so
 *   the budget that minimizes the expected charge of an answer, continuations included;
 * - usage only: a finished call counts what it used, so the budget only has to let most answers
 *   finish in one call (a continuation costs its prompt again), without reserving far more than
 *   answers use while the call runs: the length within which nine answers in ten finished.
 */

/** What a role starts with before any answer has been seen. */
const startingBudgets: Readonly<Record<AnswerRole, number>> = {
  chat: 512,
  logic: 768,
  code: 768,
  vision: 512,
  long_context: 768,
  // Not learned: a search answer asks for a fixed budget (generation/search-call.ts).
  search: 1_024,
};

/** Never less: room for a short answer (and a reasoning model's short thought). */
const smallestBudget = 160;
/** Never more: a longer answer is continued instead. */
const largestBudgets: Readonly<Record<AnswerRole, number>> = {
  chat: 2_048,
  logic: 4_096,
  code: 4_096,
  vision: 2_048,
  long_context: 4_096,
  search: 1_024,
};
/** Answers remembered per pool (a role; a role and model; either by prompt size too). */
const samplesKept = 64;
/**
 * Under usage-only accounting: the share of answers that should finish within one call. The
 * share is the margin: no room is added on top of its length, which would let about 95 answers
 * in 100 finish and hold a tenth more of every call's budget for the few that would not.
 */
const oneCallShare = 0.9;
/**
 * How many answers a budget is read from. A model's own answers of the kind come first, and
 * while they are fewer, the newest of the broader pools top them up: the 90th percentile of a
 * dozen answers is one or two of them, so a model whose first answers of a skewed kind happened
 * to be short would ask every next answer for too little (and cut a third of them), and one
 * whose first happened to be long, for too much. Topped up, a model's own answers take over as
 * they come, with no jump from one pool to another.
 */
const answersConsulted = 32;
/**
 * Answers needed before their lengths are used: a few, weighed with the starting budget until
 * there are as many as show the longer ones (`fromAnswersSeen`). Answers to prompts of the
 * request's size (this process's own) are read alone from that many; before, a short prompt's
 * budget reads the role's answers as a whole (see `answersFor`).
 */
const answersShowingTheLongerOnes = Math.round(1 / (1 - oneCallShare));
const answersNeeded = { ofSize: answersShowingTheLongerOnes, atAll: 4 } as const;
/**
 * Over what three answers in four use (the room a full minute must have left for a call to take
 * it) and over the rest of a long answer (read from the few that ran longer), a little room
 * keeps most of those in one call.
 */
const headroom = 1.1;

/** Prompt sizes within one bucket get the same budget, so the search runs once per bucket and sample. */
const promptBucketTokens = 64;
/**
 * From this many prompt tokens a request is a long one (a pasted text to summarise, a file):
 * its answers are learned apart from those to short messages of the same role, whose lengths
 * differ (small talk against summaries), so neither asks for the other's budget.
 */
const longPromptTokens = 512;

function promptSize(promptTokens: number): "short" | "long" {
  return promptTokens >= longPromptTokens ? "long" : "short";
}

/** A whole answer as budgets learn it, and as LearningMemory keeps it across a restart. */
export interface LearnedAnswer {
  readonly role: AnswerRole;
  readonly model: string;
  readonly completionTokens: number;
  /** Its first call's prompt, when known: answers told by other processes come without it. */
  readonly promptTokens?: number | undefined;
}

/**
 * One answer seen: every pool it belongs to holds the same object, so pools read together count
 * it once. Its length is the whole answer's once it ended; while an answer cut at its budget
 * waits to go on, as far as it went (`observeCut`).
 */
export class SeenAnswer {
  constructor(public completionTokens: number) {}
}

class RecentAnswers {
  private readonly answers: SeenAnswer[] = [];

  add(answer: SeenAnswer): void {
    this.answers.push(answer);
    if (this.answers.length > samplesKept) this.answers.shift();
  }

  /** The newest first. */
  *newestFirst(): Generator<SeenAnswer> {
    for (let index = this.answers.length - 1; index >= 0; index -= 1) yield this.answers[index] as SeenAnswer;
  }
}

/**
 * What an answer of `length` completion tokens costs against TPM under "reservation kept" when
 * each call asks for `budget`: every call keeps its prompt (the original one plus the answer so
 * far) and its whole budget for the minute.
 */
export function chargeWithContinuations(promptTokens: number, budget: number, length: number): number {
  const calls = Math.max(1, Math.ceil(length / budget));
  let charged = 0;
  for (let call = 0; call < calls; call += 1) charged += promptTokens + call * budget + budget;
  return charged;
}

/** Continuations considered per answer when looking for the cheapest budget. */
const continuationsConsidered = 4;

/**
 * The budget that keeps the expected charge of an answer lowest, given the answers seen. For a
 * fixed number of calls an answer's charge grows with the budget, so the cheapest budget is one
 * that ends some answer exactly at the end of a call: a length divided by a number of calls.
 */
function cheapestBudget(lengths: readonly number[], promptTokens: number, floor: number, ceiling: number): number {
  const candidates = new Set<number>([floor, ceiling]);
  for (const length of lengths) {
    for (let calls = 1; calls <= continuationsConsidered; calls += 1) candidates.add(Math.min(ceiling, Math.max(floor, Math.ceil(length / calls))));
  }
  let best = ceiling;
  let bestCost = Number.POSITIVE_INFINITY;
  for (const budget of [...candidates].sort((first, second) => first - second)) {
    let cost = 0;
    for (const length of lengths) cost += chargeWithContinuations(promptTokens, budget, length);
    if (cost < bestCost) {
      bestCost = cost;
      best = budget;
    }
  }
  return best;
}

export class CompletionBudgets {
  private readonly byRole = new Map<AnswerRole, RecentAnswers>();
  private readonly byRoleAndModel = new Map<string, RecentAnswers>();
  /** The same two by the prompt's size too, from this process's own answers. */
  private readonly byRoleAndSize = new Map<string, RecentAnswers>();
  private readonly byRoleModelAndSize = new Map<string, RecentAnswers>();
  /** Every answer: better than a fixed guess for a role that has seen few answers yet. */
  private readonly all = new RecentAnswers();
  /** Told of every whole answer learned here (this process's, or another's), for LearningMemory to keep. */
  onAnswerLearned: ((answer: LearnedAnswer) => void) | undefined;
  /** What `answersFor` read, and the cheapest budget per prompt bucket, until the next answer arrives. */
  private readonly lengthsRead = new Map<string, readonly number[] | undefined>();
  private readonly cheapestByPromptBucket = new Map<string, number>();

  /**
   * The budget to ask `model` for when it answers for `role`; `promptTokens` is about what the
   * prompt costs (a long prompt makes a continuation dearer, so the budget grows with it).
   */
  budgetFor(role: AnswerRole, model: string, accounting: CompletionAccounting, promptTokens = 0): number {
    if (accounting === "usage_only") return this.lengthFinishing(oneCallShare, role, model, accounting, promptTokens, 1);
    return this.fromAnswersSeen(role, model, accounting, promptTokens, (lengths) => {
      // Selection asks for every candidate of every waiting request: the search is remembered.
      const bucket = Math.round(promptTokens / promptBucketTokens);
      const key = `${role}\u0000${model}\u0000${accounting}\u0000${bucket}`;
      let budget = this.cheapestByPromptBucket.get(key);
      if (budget === undefined) {
        budget = cheapestBudget(lengths, bucket * promptBucketTokens, smallestBudget, largestBudgets[role]);
        this.cheapestByPromptBucket.set(key, budget);
      }
      return budget;
    });
  }

  /**
   * A budget that lets every answer seen of this kind finish in one call: the longest of them
   * (already a bound on all, so no room is added). For an answer whose continuation could not
   * start before its deadline (AnswerCall), where a cut answer would stay cut.
   */
  oneCallBudget(role: AnswerRole, model: string, accounting: CompletionAccounting, promptTokens = 0): number {
    return this.fromAnswersSeen(role, model, accounting, promptTokens, (lengths) => {
      const longest = lengths.at(-1);
      return longest === undefined ? undefined : this.bounded(role, longest);
    });
  }

  /** The budget within which `share` of the answers seen of this kind finished, with a little room. */
  budgetFinishing(share: number, role: AnswerRole, model: string, accounting: CompletionAccounting, promptTokens = 0): number {
    return this.lengthFinishing(share, role, model, accounting, promptTokens, headroom);
  }

  /** The length within which `share` of the answers seen of this kind finished, times `room`. */
  private lengthFinishing(share: number, role: AnswerRole, model: string, accounting: CompletionAccounting, promptTokens: number, room: number): number {
    return this.fromAnswersSeen(role, model, accounting, promptTokens, (lengths) => {
      const length = lengths[Math.min(lengths.length - 1, Math.floor(share * lengths.length))];
      return length === undefined ? undefined : this.bounded(role, Math.ceil(length * room));
    });
  }

  /**
   * What `read` makes of the answers seen of this kind (`answersFor`): the role's starting budget
   * before there are enough, and while they are fewer than show the longer ones, weighed with it
   * in proportion to the answers still missing. A handful of answers may all come from one end
   * of the role's lengths: on one bench workload the first four logic answers happened to be
   * short (165 to 244 tokens, where logic answers there run to 640), the budget of 269 read from
   * them cut the next two, and the 421 read from six cut two more, never finished. Weighed, it
   * moves toward what the answers show as they come, and is theirs alone from ten.
   */
  private fromAnswersSeen(role: AnswerRole, model: string, accounting: CompletionAccounting, promptTokens: number, read: (lengths: readonly number[]) => number | undefined): number {
    const lengths = this.answersFor(role, model, accounting, promptTokens);
    const learned = lengths === undefined ? undefined : read(lengths);
    if (lengths === undefined || learned === undefined) return startingBudgets[role];
    if (lengths.length >= answersShowingTheLongerOnes) return learned;
    const missing = answersShowingTheLongerOnes - lengths.length;
    return Math.round((lengths.length * learned + missing * startingBudgets[role]) / answersShowingTheLongerOnes);
  }

  private bounded(role: AnswerRole, budget: number): number {
    return Math.max(smallestBudget, Math.min(largestBudgets[role], budget));
  }

  /**
   * The budget for the next call of an answer that reached its budget after `spentTokens`
   * completion tokens: what the answers seen that ran longer than that still needed (most of
   * them, as a first call's budget lets most answers finish), so the continuation asks for the
   * rest of a long answer rather than a fixed multiple of the first budget, which reserves far
   * more than a nearly finished answer uses. An answer longer than any seen is in a tail nothing
   * measured: its first continuation asks for half the call before, since most such answers end
   * soon after, and each later one (or every one, before any answer was seen) for twice the call
   * before (up to the role's largest budget), so even one many times the typical length
   * finishes in a few calls rather than be cut.
   */
  continuationBudget(continued: { readonly role: AnswerRole; readonly model: string; readonly accounting: CompletionAccounting; readonly promptTokens: number; readonly spentTokens: number; readonly lastBudget: number; readonly continuation: number }): number {
    const { role, spentTokens, lastBudget } = continued;
    const seen = this.answersFor(role, continued.model, continued.accounting, continued.promptTokens);
    const longer = seen?.filter((length) => length > spentTokens) ?? [];
    const rest = longer[Math.min(longer.length - 1, Math.floor(oneCallShare * longer.length))];
    if (rest !== undefined) return this.bounded(role, Math.ceil((rest - spentTokens) * headroom));
    if (seen !== undefined && continued.continuation <= 1) return this.bounded(role, Math.ceil(lastBudget / 2));
    return Math.max(lastBudget, Math.min(largestBudgets[role], lastBudget * 2));
  }

  /**
   * The completion tokens of the answers a budget is read from, shortest first: the model's own
   * answers of the role to prompts of the size, topped up with the role's to prompts of the
   * size, newest first, up to `answersConsulted`. While those are fewer than show the longer
   * ones, a short prompt's budget reads the model's answers of the role topped up with the
   * role's (and, while a budget costs its whole size, every answer), and a long prompt's goes
   * on with its own few. Undefined while too few were seen, and the starting budget stands.
   */
  private answersFor(role: AnswerRole, model: string, accounting: CompletionAccounting, promptTokens: number): readonly number[] | undefined {
    const size = promptSize(promptTokens);
    const key = `${role}\u0000${model}\u0000${size}\u0000${accounting}`;
    if (this.lengthsRead.has(key)) return this.lengthsRead.get(key);
    const ofSize = this.newestOf([this.byRoleModelAndSize.get(`${role}\u0000${model}\u0000${size}`), this.byRoleAndSize.get(`${role}\u0000${size}`)]);
    const answers = ofSize.length >= answersNeeded.ofSize ? ofSize : this.readWhileFew(role, model, accounting, size, ofSize).find((candidate) => candidate.length >= answersNeeded.atAll);
    const lengths = answers?.map((answer) => answer.completionTokens).sort((first, second) => first - second);
    this.lengthsRead.set(key, lengths);
    return lengths;
  }

  /**
   * What a budget reads, in order of preference, while a prompt's size has seen fewer answers
   * than show the longer ones. The role's answers as a whole are mostly to short prompts: small
   * talk, shorter than summaries of pasted texts. Read for a long prompt, they cut one summary
   * in five on the bench (budgets of 332 where those ran to 390), each continuation sending the
   * long prompt again; so a long prompt reads its own size's few answers, weighed with the
   * starting budget.
   */
  private readWhileFew(role: AnswerRole, model: string, accounting: CompletionAccounting, size: "short" | "long", ofSize: SeenAnswer[]): SeenAnswer[][] {
    if (size === "long") return [ofSize];
    // Answers told by other processes come without their prompt's size: they teach the role as a whole.
    const ofRole = this.newestOf([this.byRoleAndModel.get(`${role}\u0000${model}`), this.byRole.get(role)]);
    // Every answer together is a guess for a role that has seen few: worth it while a budget
    // costs its whole size, not once Groq is seen to count only what answers use.
    return accounting === "usage_only" ? [ofRole] : [ofRole, this.newestOf([this.all])];
  }

  /** Up to `answersConsulted` answers from the pools in order, each pool's newest first, each answer once. */
  private newestOf(pools: readonly (RecentAnswers | undefined)[]): SeenAnswer[] {
    const taken = new Set<SeenAnswer>();
    for (const pool of pools) {
      if (pool === undefined) continue;
      for (const answer of pool.newestFirst()) {
        if (taken.size >= answersConsulted) return [...taken];
        taken.add(answer);
      }
    }
    return [...taken];
  }

  /**
   * Learns from one finished answer: the completion tokens of all its calls together, and the
   * prompt tokens of its first call when known (another process's answers come without them).
   * An answer that was cut on the way is already in the pools (`cut`): it takes its whole length.
   */
  observeAnswer(role: AnswerRole, model: string, completionTokens: number, promptTokens?: number, cut?: SeenAnswer): void {
    this.hear(role, model, completionTokens, promptTokens, cut);
    this.onAnswerLearned?.({ role, model, completionTokens, promptTokens });
  }

  /** Answers learned before a restart (LearningMemory), oldest first: the pools start from them. */
  restore(answers: readonly LearnedAnswer[]): void {
    for (const { role, model, completionTokens, promptTokens } of answers) this.hear(role, model, completionTokens, promptTokens, undefined);
  }

  /**
   * Learns from an answer cut at its budget, before it goes on: it is at least as long as it
   * went. Heard of only once they end, the longer answers of a kind are missing from what
   * budgets read while they wait to go on, a minute when they were cut as the minute filled:
   * the shorter ones are read alone meanwhile, and ask for less, and cut more. Returns the
   * answer as the pools hold it, for its next cut or its end (`observeAnswer`) to lengthen.
   */
  observeCut(role: AnswerRole, model: string, completionTokens: number, promptTokens: number, earlier: SeenAnswer | undefined): SeenAnswer {
    return this.hear(role, model, completionTokens, promptTokens, earlier);
  }

  /** An answer already in the pools takes its new length; any other joins every pool it belongs to. */
  private hear(role: AnswerRole, model: string, completionTokens: number, promptTokens: number | undefined, held: SeenAnswer | undefined): SeenAnswer {
    if (held !== undefined) {
      held.completionTokens = completionTokens;
      this.forgetWhatWasRead();
      return held;
    }
    const pools = [this.all, this.answersOf(this.byRole, role), this.answersOf(this.byRoleAndModel, `${role}\u0000${model}`)];
    if (promptTokens !== undefined) {
      const size = promptSize(promptTokens);
      pools.push(this.answersOf(this.byRoleAndSize, `${role}\u0000${size}`), this.answersOf(this.byRoleModelAndSize, `${role}\u0000${model}\u0000${size}`));
    }
    const answer = new SeenAnswer(completionTokens);
    for (const answers of pools) answers.add(answer);
    this.forgetWhatWasRead();
    return answer;
  }

  private forgetWhatWasRead(): void {
    this.lengthsRead.clear();
    this.cheapestByPromptBucket.clear();
  }

  private answersOf<Key>(map: Map<Key, RecentAnswers>, key: Key): RecentAnswers {
    let answers = map.get(key);
    if (answers === undefined) {
      answers = new RecentAnswers();
      map.set(key, answers);
    }
    return answers;
  }
}
