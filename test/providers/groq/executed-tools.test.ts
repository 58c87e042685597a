import { describe, expect, it } from "vitest";
import { ExecutedToolCollector } from "../../../src/providers/groq/executed-tools.js";

describe("the executed tools of a streamed compound answer", () => {
  it("merges a tool's start and its results by index, in the order the tools ran", () => {
    const collector = new ExecutedToolCollector();
    collector.add([{ index: 1, type: "search", arguments: '{"query":"b"}' }]);
    collector.add([{ index: 0, type: "search", arguments: '{"query":"a"}' }]);
    collector.add([{ index: 0, type: "search", arguments: '{"query":"a"}', output: "…", search_results: { results: [{ title: "A", url: "https://a.example/", score: 0.5, content: "…" }] } }]);
    collector.add([{ index: 1, type: "search", search_results: { results: [{ url: "https://b.example/" }, { title: "no address" }] } }]);
    collector.add(undefined);
    expect(collector.tools()).toEqual([
      { type: "search", arguments: '{"query":"a"}', sources: [{ url: "https://a.example/", title: "A", score: 0.5 }] },
      { type: "search", arguments: '{"query":"b"}', sources: [{ url: "https://b.example/", title: "" }] },
    ]);
  });

  it("reads visited pages (browser_results) as sources too, and a tool that reads none as having none", () => {
    const collector = new ExecutedToolCollector();
    collector.add([
      { index: 0, type: "visit", arguments: '{"url":"https://c.example/"}', browser_results: [{ title: "C", url: "https://c.example/", content: "…" }] },
      { index: 1, type: "python", arguments: '{"code":"1+1"}', output: "2" },
    ]);
    expect(collector.tools().map((tool) => [tool.type, tool.sources.map((source) => source.url)])).toEqual([
      ["visit", ["https://c.example/"]],
      ["python", []],
    ]);
  });
});
