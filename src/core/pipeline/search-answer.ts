import { recordSearch, searchesToday } from "../conversation/search-usage.js";
import type { ModelCall } from "../generation/model-call.js";
import type { Wording } from "../language/wording.js";
import { SearchCall, type SearchAnswer, type SearchJob } from "../generation/search-call.js";
import { sourceLinksLine, webSourcesOf } from "../presentation/source-links.js";
import { prefixedId, type ChatRequest } from "../request.js";
import type { CoreServices } from "../services.js";

/**
 * The search role's part of the pipeline: the user's share of the day's searches, the answer
 * with its sources, and counting a search once it is answered. answer.ts decides when an
 * ordinary model answers instead (share spent, no search system with quota) and adds the note.
 */

/**
 * A search that cannot start within this long is answered by an ordinary model instead: the
 * search systems' minute frees within seconds, while a wait for their day would be hours; the
 * rest of the user's wait is better spent on an answer.
 */
const searchQueueWaitMs = 10_000;

export function searchQueueWait(answerQueueWaitMs: number): number {
  return Math.min(answerQueueWaitMs, searchQueueWaitMs);
}

function userKeyOf(request: ChatRequest): string {
  return prefixedId(request.location.platform, request.author.id);
}

/** Whether the user has used up their web searches for today (SEARCH_DAILY_PER_USER; 0: no limit). */
export async function searchShareSpent(request: ChatRequest, services: CoreServices): Promise<boolean> {
  const share = services.config.searchDailyPerUser;
  if (share <= 0) return false;
  return (await searchesToday(services.store, userKeyOf(request), services.clock.now())) >= share;
}

/** Counts an answered search against the user's share. */
export function recordAnsweredSearch(request: ChatRequest, services: CoreServices): Promise<void> {
  return recordSearch(services.store, userKeyOf(request), services.clock.now());
}

/** A search answer as the user reads it: the system's text, then its sources as links. */
export function withSourceLinks(answer: SearchAnswer, words: Wording): string {
  const links = sourceLinksLine(webSourcesOf(answer.executedTools), words);
  return links === "" ? answer.text : `${answer.text.trimEnd()}\n\n${links}`;
}

/**
 * The search as a job whose outcome is the text to show, so that the pipeline treats it like any
 * answer: the search call (generation/search-call.ts), its finished answer given its sources.
 */
export function citingSearchCall(job: SearchJob, services: CoreServices, words: Wording): ModelCall<string> {
  const search = new SearchCall(job, services.client);
  return {
    spec: search.spec,
    fit: (profile, state) => search.fit(profile, state),
    async *send(selected, signal) {
      const result = yield* search.send(selected, signal);
      return result.kind === "done" ? { ...result, outcome: withSourceLinks(result.outcome, words) } : result;
    },
    salvage() {
      const salvaged = search.salvage();
      return salvaged === undefined ? undefined : withSourceLinks(salvaged, words);
    },
  };
}
