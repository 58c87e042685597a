import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { markdownToTelegramHtml } from "../../../src/adapters/telegram/telegram-html.js";

const telegramTags = new Set(["b", "i", "u", "s", "code", "pre", "a", "blockquote", "tg-spoiler"]);

/** Throws unless every tag is one Telegram knows and every tag opened is closed, in order. */
function expectBalancedTelegramHtml(html: string): void {
  const open: string[] = [];
  for (const [, closing, name] of html.matchAll(/<(\/?)([a-z-]+)[^>]*>/g)) {
    expect(telegramTags.has(name!)).toBe(true);
    if (closing === "/") expect(open.pop()).toBe(name);
    else open.push(name!);
  }
  expect(open).toEqual([]);
  // Outside tags, only escaped text: a bare < or > would be read as markup.
  expect(html.replace(/<\/?[a-z-]+(?: [a-z]+="[^"<>]*")?>/g, "")).not.toMatch(/[<>]|&(?!amp;|lt;|gt;|quot;)/);
}

/** The text Telegram shows: tags gone, entities read. */
function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

function convert(markdown: string): string {
  const html = markdownToTelegramHtml(markdown);
  expectBalancedTelegramHtml(html);
  return html;
}

describe("markdownToTelegramHtml", () => {
  it("escapes <, > and & in text, and HTML the model wrote stays text", () => {
    expect(convert("a < b && c > d")).toBe("a &lt; b &amp;&amp; c &gt; d");
    expect(convert("<b>not bold</b> &amp;")).toBe("&lt;b&gt;not bold&lt;/b&gt; &amp;amp;");
  });

  it("converts bold, italic, underline, strikethrough and spoilers, nested too", () => {
    expect(convert("**bold** *italic* _italic_ __under__ ~~gone~~ ||secret||")).toBe(
      "<b>bold</b> <i>italic</i> <i>italic</i> <u>under</u> <s>gone</s> <tg-spoiler>secret</tg-spoiler>",
    );
    expect(convert("**bold _and italic_ inside**")).toBe("<b>bold <i>and italic</i> inside</b>");
    expect(convert("*italic **and bold** inside*")).toBe("<i>italic <b>and bold</b> inside</i>");
    expect(convert("***both***")).toBe("<b><i>both</i></b>");
  });

  it("leaves markers that are not emphasis alone", () => {
    expect(convert("snake_case_name and 2 * 3 * 4")).toBe("snake_case_name and 2 * 3 * 4");
    expect(convert("a ~ b, x | y, ~~~~")).toBe("a ~ b, x | y, ~~~~");
    expect(convert("\\*not italic\\* and \\`not code\\`")).toBe("*not italic* and `not code`");
  });

  it("keeps unbalanced markers as text without breaking what follows", () => {
    expect(convert("**never closed and *this* works")).toBe("**never closed and <i>this</i> works");
    expect(convert("**a *b** c*")).toBe("<b>a *b</b> c*");
    expect(convert("`never closed code **bold**")).toBe("`never closed code <b>bold</b>");
    expect(convert("**first line\nsecond line**")).toBe("**first line\nsecond line**");
    expect(convert("~~strike **bold~~ rest**")).toBe("<s>strike **bold</s> rest**");
  });

  it("escapes inline code and leaves markers inside it alone", () => {
    expect(convert("use `a < b && **c**` here")).toBe("use <code>a &lt; b &amp;&amp; **c**</code> here");
    expect(convert("``code with ` tick``")).toBe("<code>code with ` tick</code>");
  });

  it("turns fenced code blocks into pre with the language, escaping their content", () => {
    expect(convert("Code:\n```ts\nif (a < b && c) {\n  return \"<ok>\";\n}\n```\nDone.")).toBe(
      'Code:\n<pre><code class="language-ts">if (a &lt; b &amp;&amp; c) {\n  return "&lt;ok&gt;";\n}</code></pre>\nDone.',
    );
    expect(convert("~~~\nplain & simple\n~~~")).toBe("<pre>plain &amp; simple</pre>");
    expect(convert("```\n**not bold**\n```")).toBe("<pre>**not bold**</pre>");
  });

  it("runs an unclosed code block to the end instead of breaking the message", () => {
    expect(convert("Start\n```python\nprint('<hi>')\n**still code**")).toBe(
      "Start\n<pre><code class=\"language-python\">print('&lt;hi&gt;')\n**still code**</code></pre>",
    );
  });

  it("drops a language that is not a plain name rather than write it into an attribute", () => {
    expect(convert('```"><script>\nx\n```')).toBe("<pre>x</pre>");
  });

  it("removes the indentation of a code block indented in a list", () => {
    expect(convert("1. Run:\n   ```bash\n   npm test\n   ```")).toBe('1. Run:\n<pre><code class="language-bash">npm test</code></pre>');
  });

  it("converts links, escaping quotes and ampersands in the address", () => {
    expect(convert('[the docs](https://example.com/search?q="a b"&lang=en)')).toBe('[the docs](https://example.com/search?q="a b"&amp;lang=en)');
    expect(convert('[the docs](https://example.com/search?q="ab"&lang=en)')).toBe(
      '<a href="https://example.com/search?q=&quot;ab&quot;&amp;lang=en">the docs</a>',
    );
    expect(convert("see [**Foo** (bar)](https://en.wikipedia.org/wiki/Foo_(bar)) now")).toBe(
      'see <a href="https://en.wikipedia.org/wiki/Foo_(bar)"><b>Foo</b> (bar)</a> now',
    );
    expect(convert('[site](<https://example.com/a b> "Title")')).toBe('<a href="https://example.com/a%20b">site</a>');
    expect(convert("<https://example.com/?a=1&b=2>")).toBe("https://example.com/?a=1&amp;b=2");
  });

  it("keeps the address of a link Telegram would not accept as text", () => {
    expect(convert("[readme](./README.md) and [x](javascript:alert(1))")).toBe("readme (./README.md) and x (javascript:alert(1))");
  });

  it("shows the real target of links that do not lead to the web: tg://, mail, app schemes", () => {
    expect(convert("[Telegram Support: verify](tg://resolve?domain=evil_bot)")).toBe("Telegram Support: verify (tg://resolve?domain=evil_bot)");
    expect(convert("[write to us](mailto:help@example.com)")).toBe("write to us (mailto:help@example.com)");
    expect(convert("[open](TG://user?id=1) [app](intent://x#Intent;end)")).toBe("open (TG://user?id=1) app (intent://x#Intent;end)");
  });

  it("shows the real target of a web link whose label poses as another address", () => {
    expect(convert("[https://bank.example/login](https://evil.example/login)")).toBe("https://bank.example/login (https://evil.example/login)");
    expect(convert("[www.bank.example](https://evil.example)")).toBe("www.bank.example (https://evil.example)");
    expect(convert("[**https://bank.example**](https://evil.example)")).toBe("<b>https://bank.example</b> (https://evil.example)");
  });

  it("links a web address labelled with its own address or with plain words", () => {
    expect(convert("[https://example.com/docs](https://example.com/docs)")).toBe('<a href="https://example.com/docs">https://example.com/docs</a>');
    expect(convert("[www.example.com](https://example.com/)")).toBe('<a href="https://example.com/">www.example.com</a>');
    expect(convert("[Node.js docs](https://nodejs.org/api/)")).toBe('<a href="https://nodejs.org/api/">Node.js docs</a>');
  });

  it("makes headings bold lines and keeps bullet lists as text with •", () => {
    expect(convert("## Setup **now**\nText")).toBe("<b>Setup now</b>\nText");
    expect(convert("- one\n* two\n  + nested `x`")).toBe("• one\n• two\n  • nested <code>x</code>");
    expect(convert("---")).toBe("———");
  });

  it("turns quoted lines into one blockquote", () => {
    expect(convert("> quoted **bold**\n> second line\n\nafter")).toBe("<blockquote>quoted <b>bold</b>\nsecond line</blockquote>\n\nafter");
  });

  it("shows a table in monospace, as written", () => {
    expect(convert("| a | b |\n|---|---|\n| <1> | 2 |")).toBe("<pre>| a | b |\n|---|---|\n| &lt;1&gt; | 2 |</pre>");
  });

  it("for any input, writes only balanced Telegram tags and shows no more text than the markdown holds", () => {
    const piece = fc.constantFrom(
      "**", "*", "_", "__", "~~", "||", "`", "```", "```ts\n", "\n```\n", "~~~", "[", "]", "(", ")", "](https://x.io/?a=1&b=\"2\")",
      "<", ">", "&", "\"", "\\", "# ", "- ", "> ", "\n", "\n\n", " ", "|---|", "| a |", "word", "😀", "snake_case", "http://e.com",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const markdown = pieces.join("");
        const html = markdownToTelegramHtml(markdown);
        expectBalancedTelegramHtml(html);
        expect(visibleText(html).length).toBeLessThanOrEqual(markdown.length);
      }),
      { numRuns: 500 },
    );
  });
});
