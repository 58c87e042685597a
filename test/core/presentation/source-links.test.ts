import { describe, expect, it } from "vitest";
import type { ExecutedTool } from "../../../src/core/ports/model-client.js";
import { sourceLinksLine, webSourcesOf } from "../../../src/core/presentation/source-links.js";
import { wordingFor } from "../../../src/core/language/wording.js";

const english = wordingFor("en");

function search(...urls: [title: string, url: string][]): ExecutedTool {
  return { type: "search", arguments: "{}", sources: urls.map(([title, url]) => ({ title, url })) };
}

describe("a search answer's sources", () => {
  it("take each search's best page first, each page once, three at most", () => {
    const sources = webSourcesOf([
      search(["A1", "https://a.example/1"], ["A2", "https://a.example/2"], ["A3", "https://a.example/3"]),
      search(["Same as A1", "https://www.a.example/1/#section"], ["B2", "https://b.example/2"]),
    ]);
    expect(sources.map((source) => source.title)).toEqual(["A1", "A2", "B2"]);
  });

  it("leave out what is not a web page", () => {
    const sources = webSourcesOf([search(["mail", "mailto:x@example.com"], ["broken", "not a url"], ["ok", "http://ok.example/"])]);
    expect(sources.map((source) => source.url)).toEqual(["http://ok.example/"]);
  });

  it("become one line of markdown links whose text cannot break out of the link", () => {
    const line = sourceLinksLine([
      { title: "A [bracketed] *title*\nover two lines", url: "https://a.example/x?q=1" },
      { title: "", url: "https://www.untitled.example/page" },
      { title: "x".repeat(100), url: "https://long.example/" },
    ], english);
    expect(line).toBe(
      `**Sources:** [A bracketed title over two lines](<https://a.example/x?q=1>) · [untitled.example](<https://www.untitled.example/page>) · [${"x".repeat(79)}…](<https://long.example/>)`,
    );
    expect(sourceLinksLine([], english)).toBe("");
  });

  it("keep an address with spaces or angle brackets inside its <brackets>, escaped", () => {
    const [source] = webSourcesOf([search(["odd", "https://odd.example/a b<c>"])]);
    expect(sourceLinksLine([source!], english)).toBe("**Sources:** [odd](<https://odd.example/a%20b%3Cc%3E>)");
  });

  it("are headed in the user's language", () => {
    const [source] = webSourcesOf([search(["Haber", "https://haber.example/"])]);
    expect(sourceLinksLine([source!], wordingFor("tr"))).toBe("**Kaynaklar:** [Haber](<https://haber.example/>)");
    expect(sourceLinksLine([source!], wordingFor("de"))).toBe("**Quellen:** [Haber](<https://haber.example/>)");
  });
});
