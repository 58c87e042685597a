import type { Wording } from "../language/wording.js";
import type { ExecutedTool, WebSource } from "../ports/model-client.js";

/** Enough to check an answer; more would bury it. */
const maximumSources = 3;
const maximumTitleLength = 80;

/** The same page found twice (by a second search, with `www.`, a trailing slash or a #fragment) is one source. */
function pageKey(url: URL): string {
  return `${url.host.toLowerCase().replace(/^www\./, "")}${url.pathname.replace(/\/+$/, "")}${url.search}`;
}

function webAddress(source: WebSource): URL | undefined {
  try {
    const url = new URL(source.url);
    return url.protocol === "https:" || url.protocol === "http:" ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The pages a search answer drew on, each once, at most a few: every search's best result first,
 * then every search's second, and so on, so that a second search adds its best page before the
 * first search's third. Within a search, Groq's order (its ranking) is kept.
 */
export function webSourcesOf(tools: readonly ExecutedTool[]): readonly WebSource[] {
  const chosen: WebSource[] = [];
  const seen = new Set<string>();
  const longest = Math.max(0, ...tools.map((tool) => tool.sources.length));
  for (let rank = 0; rank < longest && chosen.length < maximumSources; rank += 1) {
    for (const tool of tools) {
      const source = tool.sources[rank];
      const url = source === undefined ? undefined : webAddress(source);
      if (source === undefined || url === undefined || seen.has(pageKey(url))) continue;
      seen.add(pageKey(url));
      chosen.push({ ...source, url: url.href });
      if (chosen.length === maximumSources) break;
    }
  }
  return chosen;
}

/** A title as a link's text: one line, no characters that would end the link or start markup, not too long. */
function linkText(source: WebSource): string {
  const cleaned = source.title.replace(/[[\]`*<>]/g, "").replace(/\s+/g, " ").trim();
  const text = cleaned === "" ? new URL(source.url).host.replace(/^www\./, "") : cleaned;
  return text.length > maximumTitleLength ? `${text.slice(0, maximumTitleLength - 1).trimEnd()}…` : text;
}

/**
 * The line that ends a search answer: its sources as markdown links, or nothing when it has none.
 * The address goes in <angle brackets>: Discord then shows the link without a preview card for
 * each, and Telegram's converter (telegram-html.ts) reads the same form; `URL.href` has already
 * escaped any space or angle bracket in it.
 */
export function sourceLinksLine(sources: readonly WebSource[], words: Wording): string {
  if (sources.length === 0) return "";
  return words.say("search.sources", { links: sources.map((source) => `[${linkText(source)}](<${source.url}>)`).join(" · ") });
}
