import type { ExecutedTool, WebSource } from "../../core/ports/model-client.js";

/**
 * One entry of `delta.executed_tools` (groq-sdk 1.6 types it as
 * `ChatCompletionChunk.Choice.Delta.ExecutedTool`). Read as loosely typed JSON: the SDK passes
 * the body through unchecked, and a field Groq leaves out must not break the answer.
 */
interface RawExecutedTool {
  readonly index?: unknown;
  readonly type?: unknown;
  readonly arguments?: unknown;
  readonly output?: unknown;
  /** `{ results: [{ title, url, content, score }], images? }` for a web search. */
  readonly search_results?: unknown;
  /** `[{ title, url, content?, live_view_url? }]` for a visited page or browser session. */
  readonly browser_results?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sourceOf(raw: unknown): WebSource | undefined {
  if (!isRecord(raw) || typeof raw.url !== "string" || raw.url === "") return undefined;
  const title = typeof raw.title === "string" ? raw.title : "";
  return { url: raw.url, title, ...(typeof raw.score === "number" ? { score: raw.score } : {}) };
}

function sourcesOf(tool: RawExecutedTool): WebSource[] {
  // The SDK types search_results as an object holding `results`; a bare list is read the same way.
  const searchResults = isRecord(tool.search_results) ? tool.search_results.results : tool.search_results;
  const listed: unknown[] = [...listOf(searchResults), ...listOf(tool.browser_results)];
  return listed.map(sourceOf).filter((source): source is WebSource => source !== undefined);
}

function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/**
 * Collects a compound system's tools from a streamed answer. Groq sends each tool in
 * `delta.executed_tools` when it starts (type and arguments) and again, under the same `index`,
 * once it has run (with its output and search results), before the answer's text; the entries
 * are merged by index, the later one completing the earlier.
 */
export class ExecutedToolCollector {
  private readonly byIndex = new Map<number, ExecutedTool>();

  add(rawTools: unknown): void {
    if (!Array.isArray(rawTools)) return;
    for (const [position, rawTool] of rawTools.entries()) {
      if (!isRecord(rawTool)) continue;
      const tool = rawTool as RawExecutedTool;
      const index = typeof tool.index === "number" ? tool.index : this.byIndex.size + position;
      const earlier = this.byIndex.get(index);
      const sources = sourcesOf(tool);
      this.byIndex.set(index, {
        type: typeof tool.type === "string" && tool.type !== "" ? tool.type : (earlier?.type ?? "unknown"),
        arguments: typeof tool.arguments === "string" && tool.arguments !== "" ? tool.arguments : (earlier?.arguments ?? ""),
        sources: sources.length > 0 ? sources : (earlier?.sources ?? []),
      });
    }
  }

  tools(): readonly ExecutedTool[] {
    return [...this.byIndex.entries()].sort(([first], [second]) => first - second).map(([, tool]) => tool);
  }
}
