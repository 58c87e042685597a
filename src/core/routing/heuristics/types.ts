/**
 * The roles the text heuristics choose between; vision and long_context are decided elsewhere.
 * "search" is a question that needs current information (news, prices, weather, results) and is
 * answered by a model that can search the web.
 */
export type HeuristicRole = "chat" | "logic" | "code" | "search";

export interface HeuristicDecision {
  readonly role: HeuristicRole;
  /** 0..1: how sure the heuristics are; the hybrid router asks a model below `confidentThreshold`. */
  readonly confidence: number;
  /** Short human-readable reasons, e.g. "code block (python)", "stack trace", "math notation", "keyword: türev (tr)". Shown by `mami route`. */
  readonly reasons: readonly string[];
}

/** One piece of evidence for a role; the scorer adds the weights per role. */
export interface Signal {
  readonly role: HeuristicRole;
  readonly weight: number;
  readonly reason: string;
  /** A hint ("today", "right now") that counts only when other signals already point to its role. */
  readonly onlyAlongsideEvidence?: true;
}
