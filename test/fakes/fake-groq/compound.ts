/**
 * Groq's compound systems (`groq/compound`, `groq/compound-mini`), as Groq's docs and groq-sdk
 * 1.6's types describe them (docs/groq.md, "Compound systems"):
 * - they search the web on Groq's side before answering; compound-mini makes a single tool call
 *   per request, compound several;
 * - the answer carries them in `executed_tools`: `{ index, type: "search", arguments: '{"query":…}',
 *   output, search_results: { results: [{ title, url, content, score }] } }`, on
 *   `choices[0].message` for a plain call;
 * - streamed, each tool comes in `choices[0].delta.executed_tools` twice, before the answer's
 *   text: when it starts (type and arguments) and, under the same index, once it has run (output
 *   and search results); the system's reasoning about its searches comes in `delta.reasoning`;
 * - custom tools are not supported (a 400 here; Groq's exact wording is not documented);
 * - usage lists the models the system used in `usage_breakdown`.
 */
import { invalidRequestError, type GroqErrorBody } from "./groq-errors.js";
import { isPresent, lastUserMessageText } from "./json-values.js";
import type { FakeModelSpec, FakeSearchResult } from "./types.js";

export interface ExecutedToolBody {
  index: number;
  type: "search";
  arguments: string;
  output?: string;
  search_results?: { results: FakeSearchResult[] };
}

/** What a compound system did before it answered; undefined for an ordinary model. */
export interface CompoundRun {
  /** Each tool as it starts, then as it ends: the order the stream sends them in. */
  readonly startedTools: readonly ExecutedToolBody[];
  readonly finishedTools: readonly ExecutedToolBody[];
  readonly reasoning: string;
  /** The model behind the system, named in `usage_breakdown`. */
  readonly answeringModel: string;
}

/** Custom tools are refused: compound runs only its built-in ones. */
export function validateCompoundRequest(spec: FakeModelSpec, body: Record<string, unknown>): GroqErrorBody | undefined {
  if (spec.compoundToolCalls === undefined) return undefined;
  if (isPresent(body.tools) || isPresent(body.tool_choice)) return invalidRequestError("custom tools are not supported with compound systems", "tools");
  return undefined;
}

/** A query the way a system phrases one: the question's start, and for a second search a narrower one. */
function queryFor(question: string, searchNumber: number): string {
  const start = question.replace(/\s+/g, " ").trim().slice(0, 100);
  return searchNumber === 0 ? start : `${start} latest`;
}

function outputText(results: readonly FakeSearchResult[]): string {
  return results.map((result) => `Title: ${result.title}\nURL: ${result.url}\nContent: ${result.content}\nScore: ${result.score.toFixed(4)}`).join("\n\n");
}

export function runCompoundTools(spec: FakeModelSpec, messages: readonly unknown[], search: (query: string) => FakeSearchResult[]): CompoundRun | undefined {
  if (spec.compoundToolCalls === undefined) return undefined;
  const question = lastUserMessageText(messages);
  const startedTools: ExecutedToolBody[] = [];
  const finishedTools: ExecutedToolBody[] = [];
  for (let index = 0; index < spec.compoundToolCalls; index += 1) {
    const query = queryFor(question, index);
    const argumentsText = JSON.stringify({ query });
    const results = search(query);
    startedTools.push({ index, type: "search", arguments: argumentsText });
    finishedTools.push({ index, type: "search", arguments: argumentsText, output: outputText(results), search_results: { results } });
  }
  return {
    startedTools,
    finishedTools,
    reasoning: `I should search the web for "${queryFor(question, 0)}" to answer with current information.`,
    answeringModel: "openai/gpt-oss-120b",
  };
}

/**
 * Deterministic search results for a query: three pages on two sites, the first site twice,
 * so that a second search of the same question finds some of the same pages again.
 */
export function defaultSearchResults(query: string): FakeSearchResult[] {
  const slug = query.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "").slice(0, 40) || "query";
  return [
    { title: `${query}: live updates`, url: `https://news.example.com/live/${slug}`, content: `The latest on ${query}, updated minutes ago.`, score: 0.93 },
    { title: `What we know about ${query}`, url: `https://wire.example.org/${slug}`, content: `A summary of ${query} so far.`, score: 0.87 },
    { title: `${query} explained`, url: `https://news.example.com/explainers/${slug}`, content: `Background on ${query}.`, score: 0.71 },
  ];
}
