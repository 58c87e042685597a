import type { HeuristicDecision, HeuristicRole, Signal } from "./types.js";

/**
 * Chat is where a message goes when nothing points elsewhere, so it starts ahead. A single weak
 * keyword ("error", "how many") does not overturn it; a medium one does.
 */
const chatPrior = 1;
/**
 * Added to chat when nothing at all suggests code or math in a short message: "hi", "thanks",
 * small talk. A long message without any signal gets no bonus: that is where a puzzle written
 * in plain words hides, so the decision stays below the threshold and a model looks at it. Nor
 * does a message in a script no keyword list reads (see script-coverage.ts), for the same reason.
 */
const nothingTechnicalBonus = 1.5;
const shortMessageWords = 20;
/**
 * Confidence is margin / (margin + confidenceSoftness): a lead of one medium keyword is a coin
 * flip, a code block or a stack trace is near-certain.
 */
const confidenceSoftness = 2;
const maximumReasons = 5;

/**
 * Roles in the order that breaks exact ties: a programming request about math is code, and a
 * question about today's numbers ("dollar rate today, how much is 100 dollars") is still math
 * that needs no web search once the numbers are given.
 */
const rolesByTiePriority: readonly HeuristicRole[] = ["code", "logic", "search", "chat"];

export interface MessageShape {
  readonly wordCount: number;
  /** Written in a script no keyword list covers: the lists' silence says nothing. */
  readonly inUncoveredScript: boolean;
}

export function decide(signals: readonly Signal[], { wordCount, inUncoveredScript }: MessageShape): HeuristicDecision {
  const scores: Record<HeuristicRole, number> = { chat: chatPrior, logic: 0, code: 0, search: 0 };
  const hints: Record<HeuristicRole, number> = { chat: 0, logic: 0, code: 0, search: 0 };
  for (const signal of signals) {
    if (signal.onlyAlongsideEvidence === true) hints[signal.role] += signal.weight;
    else scores[signal.role] += signal.weight;
  }
  const counted = new Set<HeuristicRole>(rolesByTiePriority.filter((role) => scores[role] > (role === "chat" ? chatPrior : 0)));
  for (const role of counted) scores[role] += hints[role];

  // Even a weak sign of current events ("price", "who won") is no small talk: no bonus for chat then.
  const nothingTechnical = scores.code === 0 && scores.logic === 0 && scores.search === 0;
  if (nothingTechnical && wordCount <= shortMessageWords && !inUncoveredScript) scores.chat += nothingTechnicalBonus;

  // A stable sort keeps the tie order of rolesByTiePriority among equal scores.
  const [winner = "chat", runnerUp = "chat"] = [...rolesByTiePriority].sort((left, right) => scores[right] - scores[left]);
  const margin = scores[winner] - scores[runnerUp];
  const confidence = margin / (margin + confidenceSoftness);

  const countedSignals = signals.filter((signal) => signal.onlyAlongsideEvidence !== true || counted.has(signal.role));
  const reasons = reasonsFor(winner, countedSignals, nothingTechnical);
  if (nothingTechnical && inUncoveredScript) reasons.push("a script the keyword lists do not cover");
  return { role: winner, confidence: Math.round(confidence * 1000) / 1000, reasons };
}

function reasonsFor(role: HeuristicRole, signals: readonly Signal[], nothingTechnical: boolean): string[] {
  const supporting = signals.filter((signal) => signal.role === role).sort((left, right) => right.weight - left.weight);
  const reasons = [...new Set(supporting.map((signal) => signal.reason))].slice(0, maximumReasons);
  if (role === "chat" && nothingTechnical) reasons.push("no code, math or current-events signals");
  else if (reasons.length === 0) reasons.push("nothing decisive");
  return reasons;
}
