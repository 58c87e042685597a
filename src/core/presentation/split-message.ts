/**
 * Splits a markdown reply into parts that each fit one platform message (Telegram 4096, Discord
 * 2000), cutting where a reader would pause: between paragraphs first, then between lines, then
 * between words; only a single word longer than a whole part is cut inside. A fenced code block
 * that has to be cut is closed at the end of one part and reopened, with the same fence and
 * language, at the start of the next, so every part renders as balanced markdown on its own.
 *
 * Lengths are JavaScript string lengths (UTF-16 code units), which is how Telegram counts and
 * never less than what Discord counts; a cut never falls inside a surrogate pair.
 *
 * The rejoin rule, which the property test checks: with `{ parts, separators } = splitMessageDetailed(text)`
 *
 *   text === separators[0] + parts[0].source + separators[1] + parts[1].source + … + parts[n-1].source + separators[n]
 *
 * and `parts[i].text === parts[i].reopening + parts[i].source + parts[i].closing`. A separator is
 * the whitespace a cut consumed (the blank lines of a paragraph break with the trailing spaces
 * before it, one line break, or the spaces between two words; empty for a cut inside a word).
 * `separators[0]` is the blank lines before the first visible line and `separators[n]` the
 * whitespace after the last visible character; a text with nothing visible has no parts and
 * `separators` is `[text]`. The indentation of the line a part starts on stays in the part.
 *
 * The cost is linear in the text whatever it holds (no spaces, thousands of lines, a line of
 * "``` " words): each cut considered is judged in constant time from tables built once, and the
 * search for cuts stops at the end of the part's window. test/bench/adversarial-text.bench.test.ts
 * checks the growth.
 */

/** A fenced code block's opening as written: the marker (``` or ~~~, possibly longer) and language. */
export interface CodeFence {
  /** The run of backticks or tildes that opened the block; a closing run must be at least as long. */
  readonly marker: string;
  /** The first word of the info string ("ts" for "```ts"), or "" when none was given. */
  readonly language: string;
}

export interface SplitPart {
  /** The message to send: `reopening + source + closing`. */
  readonly text: string;
  /** The slice of the original markdown this part carries. */
  readonly source: string;
  /** "" or the fence line (with its line break) that reopens a code block cut in the previous part. */
  readonly reopening: string;
  /** "" or the line break and fence that close a code block this part ends inside. */
  readonly closing: string;
}

export interface MessageSplit {
  readonly parts: readonly SplitPart[];
  /** One more than `parts`: what lies before, between and after the parts' sources (see the file comment). */
  readonly separators: readonly string[];
}

/** Splits `markdown` into message texts of at most `maxLength` each; see {@link splitMessageDetailed}. */
export function splitMessage(markdown: string, maxLength: number): string[] {
  return splitMessageDetailed(markdown, maxLength).parts.map((part) => part.text);
}

/** The opening fence a line starts, if it is one (CommonMark rules, any indentation so list items count). */
export function codeFenceOpenedBy(line: string): CodeFence | undefined {
  // The marker is taken whole: a shorter one cannot let "(.*)$" reach the end either, and trying
  // each length rescanned the line once per backtick of a long run.
  const match = /^\s*(?=(`{3,}|~{3,}))\1(.*)$/.exec(line);
  if (match === null) return undefined;
  const marker = match[1] ?? "";
  const info = (match[2] ?? "").trim();
  // A backtick fence's info string cannot hold a backtick: "```x```" at a line start is inline code.
  if (marker.startsWith("`") && info.includes("`")) return undefined;
  return { marker, language: info.split(/\s+/)[0] ?? "" };
}

/** Whether a line closes a block opened by `fence`: the same character, at least as many, nothing else. */
export function closesCodeFence(line: string, fence: CodeFence): boolean {
  const match = /^\s*(`{3,}|~{3,})\s*$/.exec(line);
  const marker = match?.[1];
  return marker !== undefined && marker[0] === fence.marker[0] && marker.length >= fence.marker.length;
}

/** The line that reopens a block cut at the end of the previous part. */
function reopeningLineOf(fence: CodeFence): string {
  return fence.marker + fence.language;
}

export function splitMessageDetailed(markdown: string, maxLength: number): MessageSplit {
  if (!Number.isInteger(maxLength) || maxLength < 2) {
    // Two code units is the least that always holds one character (a surrogate pair).
    throw new RangeError(`maxLength must be an integer of at least 2, got ${maxLength}`);
  }
  return new MessageSplitter(markdown, maxLength).split();
}

type LineKind = "opening" | "closing" | "content";

interface Line {
  readonly start: number;
  /** Index of the line break ending the line, or the text's length. */
  readonly end: number;
  /** Index of the first non-whitespace character, or `end` for a blank line. */
  readonly firstVisible: number;
  /** Index just after the last non-whitespace character, or `start` for a blank line. */
  readonly visibleEnd: number;
  readonly kind: LineKind;
  readonly heading: boolean;
  /** The code block open before and after this line (they differ only on fence lines). */
  readonly fenceBefore: CodeFence | undefined;
  readonly fenceAfter: CodeFence | undefined;
}

/**
 * Cut preferences, best first. A cut of a better kind anywhere in the window wins over a cut of a
 * worse kind, even if it leaves a shorter part: fewer, fuller parts matter less than clean breaks.
 */
const cutPreference = {
  /** A paragraph break, a heading, or the edge of a code block, outside code. */
  block: 0,
  /** A blank line inside a code block (between two functions, say). */
  blankLineInCode: 1,
  line: 2,
  word: 3,
} as const;

interface Cut {
  /** Exclusive end of the part's source. */
  readonly end: number;
  /** Lower is better; see {@link cutPreference}. */
  readonly preference: number;
}

class MessageSplitter {
  private readonly lines: Line[];
  /** For each line, the index of the next line with something visible, or `lines.length`. */
  private readonly nextVisibleLineIndex: Int32Array;
  private readonly parts: SplitPart[] = [];
  private readonly separators: string[] = [];
  private fenceTables: FenceTables | undefined;

  constructor(
    private readonly text: string,
    private readonly maxLength: number,
  ) {
    this.lines = scanLines(text);
    this.nextVisibleLineIndex = new Int32Array(this.lines.length);
    let nextVisible = this.lines.length;
    for (let index = this.lines.length - 1; index >= 0; index -= 1) {
      this.nextVisibleLineIndex[index] = nextVisible;
      const line = this.lines[index];
      if (line !== undefined && line.visibleEnd > line.start) nextVisible = index;
    }
  }

  split(): MessageSplit {
    const visibleLines = this.lines.filter((line) => line.visibleEnd > line.start);
    const firstVisibleLine = visibleLines[0];
    const lastVisibleLine = visibleLines.at(-1);
    if (firstVisibleLine === undefined || lastVisibleLine === undefined) return { parts: [], separators: [this.text] };

    const contentEnd = lastVisibleLine.visibleEnd;
    let start = firstVisibleLine.start;
    this.separators.push(this.text.slice(0, start));
    while (start < contentEnd) {
      const reopening = this.reopeningAt(start);
      const closingAtEnd = this.closingAt(contentEnd);
      if (reopening.length + (contentEnd - start) + closingAtEnd.length <= this.maxLength) {
        this.addPart(start, contentEnd, reopening, closingAtEnd);
        break;
      }
      const end = this.bestCutFrom(start, reopening) ?? this.hardCutFrom(start, reopening);
      if (end === undefined) {
        start = this.addUnfencedPart(start, contentEnd);
        continue;
      }
      this.addPart(start, end, reopening, this.closingAt(end));
      start = this.nextStartAfter(end);
      this.separators.push(this.text.slice(end, start));
    }
    this.separators.push(this.text.slice(contentEnd));
    return { parts: this.parts, separators: this.separators };
  }

  private addPart(start: number, end: number, reopening: string, closing: string): void {
    const source = this.text.slice(start, end);
    this.parts.push({ text: reopening + source + closing, source, reopening, closing });
  }

  /**
   * The last resort when even a cut inside a word cannot carry the fence lines (a limit smaller
   * than a code block's fences, or an over-long fence line): a plain cut that keeps every part
   * within the limit but gives up balancing fences for this part. Returns where the next part starts.
   */
  private addUnfencedPart(start: number, contentEnd: number): number {
    const visibleStart = this.skipWhitespace(start, contentEnd);
    if (visibleStart > start) {
      // Indentation wider than a part carries nothing; it joins the separator before this part.
      this.separators[this.separators.length - 1] += this.text.slice(start, visibleStart);
    }
    let end = Math.min(visibleStart + this.maxLength, contentEnd);
    if (end < contentEnd && splitsSurrogatePair(this.text, end)) end -= 1;
    this.addPart(visibleStart, end, "", "");
    if (end >= contentEnd) return contentEnd;
    const next = this.nextStartAfter(end);
    this.separators.push(this.text.slice(end, next));
    return next;
  }

  private skipWhitespace(position: number, limit: number): number {
    let index = position;
    while (index < limit && /\s/.test(this.text[index] ?? "")) index += 1;
    return index;
  }

  /** The best clean cut whose part, fence lines included, fits; undefined if none does. */
  private bestCutFrom(start: number, reopening: string): number | undefined {
    let best: Cut | undefined;
    const consider = (cut: Cut): void => {
      if (cut.end <= start || !this.fits(start, cut.end, reopening)) return;
      const better = best === undefined || cut.preference < best.preference || (cut.preference === best.preference && cut.end > best.end);
      if (better) best = cut;
    };
    const windowEnd = start + this.maxLength;
    for (let index = this.lineIndexAt(start); index < this.lines.length; index += 1) {
      const line = this.lines[index];
      if (line === undefined || line.start > windowEnd) break;
      for (const end of this.wordCutsIn(line, start, windowEnd)) consider({ end, preference: cutPreference.word });
      const lineCut = this.lineCutAfter(index);
      if (lineCut !== undefined) consider(lineCut);
    }
    return best?.end;
  }

  /**
   * The cut after line `index`, classified; undefined after the last visible line, after a blank
   * line, or where it would leave an empty code block behind (right after an opening fence) or
   * ahead (right before a closing fence).
   */
  private lineCutAfter(index: number): Cut | undefined {
    const line = this.lines[index];
    if (line === undefined || line.visibleEnd === line.start) return undefined;
    const nextIndex = this.nextVisibleLineIndex[index] ?? this.lines.length;
    const next = this.lines[nextIndex];
    if (next === undefined) return undefined;
    const blankLinesBetween = nextIndex - index - 1 > 0;
    if (line.fenceAfter !== undefined) {
      if (line.kind === "opening" || next.kind === "closing") return undefined;
      return { end: line.visibleEnd, preference: blankLinesBetween ? cutPreference.blankLineInCode : cutPreference.line };
    }
    const blockBoundary = blankLinesBetween || line.kind === "closing" || next.kind === "opening" || next.heading;
    return { end: line.visibleEnd, preference: blockBoundary ? cutPreference.block : cutPreference.line };
  }

  /**
   * Positions where a run of spaces between two words of a content line begins, after `start`
   * and up to `windowEnd`: a cut further on cannot fit, and looking for the next run of spaces
   * past the window read on to the next space of the text, for every line and every part.
   */
  private *wordCutsIn(line: Line, start: number, windowEnd: number): Generator<number> {
    if (line.kind !== "content") return;
    const scanStart = Math.max(line.firstVisible, start);
    // Runs before `visibleEnd` lie between two words: the line's last visible character ends them.
    const scanEnd = Math.min(line.visibleEnd, windowEnd + 1);
    for (let index = scanStart; index < scanEnd; index += 1) {
      if (!isSpaceWithinLine(this.text.charCodeAt(index)) || (index > scanStart && isSpaceWithinLine(this.text.charCodeAt(index - 1)))) continue;
      if (index > start && this.keepsFencesIntact(line, start, index)) yield index;
    }
  }

  /**
   * A cut inside a word, for a word longer than the space left: the last position within the
   * limit between two visible characters of a content line. Undefined if there is none.
   */
  private hardCutFrom(start: number, reopening: string): number | undefined {
    const startLine = this.lineIndexAt(start);
    for (let index = this.lineIndexAt(Math.min(start + this.maxLength, this.text.length)); index >= startLine; index -= 1) {
      const line = this.lines[index];
      if (line === undefined || line.kind !== "content") continue;
      const room = this.maxLength - reopening.length - this.closingFor(line.fenceAfter).length;
      const lowest = Math.max(start, line.firstVisible) + 1;
      for (let end = Math.min(start + room, line.visibleEnd - 1); end >= lowest; end -= 1) {
        if (this.isInsideWord(end) && !splitsSurrogatePair(this.text, end) && this.keepsFencesIntact(line, start, end)) return end;
      }
    }
    return undefined;
  }

  private isInsideWord(position: number): boolean {
    return /\S/.test(this.text[position - 1] ?? " ") && /\S/.test(this.text[position] ?? " ");
  }

  /**
   * A cut inside a line must not turn either half into a fence line of its own: the end of this
   * part, or the start of the next (read with the same code block open), would then open or close
   * a block where the original line did not.
   */
  private keepsFencesIntact(line: Line, partStart: number, position: number): boolean {
    const lastLineStart = Math.max(line.start, partStart);
    const nextStart = this.nextStartAfter(position);
    // Only a line starting with ``` or ~~~ can read as a fence; most lines need no closer look.
    const endReadsAsFence = this.startsLikeFence(this.visibleStartWithin(line, lastLineStart, position)) && this.readsAsFenceBetween(line, lastLineStart, position);
    const startReadsAsFence = this.startsLikeFence(nextStart) && this.readsAsFenceBetween(line, nextStart, line.end);
    return !endReadsAsFence && !startReadsAsFence;
  }

  /**
   * `skipWhitespace(from, limit)` for a position of `line`. A part that starts inside a line
   * starts on a visible character, so only the indentation of a line start is skipped, and
   * that is known: skipping it again for every cut of a long indented line added up.
   */
  private visibleStartWithin(line: Line, from: number, limit: number): number {
    return from === line.start ? Math.min(line.firstVisible, limit) : this.skipWhitespace(from, limit);
  }

  /**
   * Whether `text.slice(from, to)`, a stretch of `line`, would read as a fence line: as an opening
   * fence (`codeFenceOpenedBy`) outside code, as the closing one (`closesCodeFence`) inside. The
   * answer comes from tables instead of copying and matching the rest of the line for every cut
   * considered: the marker is the run of backticks or tildes after the indentation, an opening
   * fence's info string holds no line terminator (nor a backtick, after backticks), and a closing
   * fence is followed by spaces only.
   */
  private readsAsFenceBetween(line: Line, from: number, to: number): boolean {
    const markerStart = this.visibleStartWithin(line, from, to);
    const markerCharacter = this.text[markerStart];
    if (markerStart >= to || (markerCharacter !== "`" && markerCharacter !== "~")) return false;
    const tables = (this.fenceTables ??= buildFenceTables(this.text));
    const markerEnd = Math.min(tables.runEnd[markerStart] ?? to, to);
    if (markerEnd - markerStart < 3) return false;
    const openFence = line.fenceBefore;
    if (openFence === undefined) {
      if ((tables.nextLineTerminator[markerEnd] ?? to) < to) return false;
      return markerCharacter === "~" || (tables.nextBacktick[markerEnd] ?? to) >= to;
    }
    return (tables.nextVisible[markerEnd] ?? to) >= to && markerCharacter === openFence.marker[0] && markerEnd - markerStart >= openFence.marker.length;
  }

  private startsLikeFence(position: number): boolean {
    return this.text.startsWith("```", position) || this.text.startsWith("~~~", position);
  }

  private fits(start: number, end: number, reopening: string): boolean {
    return reopening.length + (end - start) + this.closingAt(end).length <= this.maxLength;
  }

  /** After a cut, the next part starts past the whitespace, but keeps the indentation of its line. */
  private nextStartAfter(end: number): number {
    let index = end;
    let afterLastLineBreak: number | undefined;
    while (index < this.text.length && /\s/.test(this.text[index] ?? "")) {
      if (this.text[index] === "\n") afterLastLineBreak = index + 1;
      index += 1;
    }
    return afterLastLineBreak ?? index;
  }

  private reopeningAt(start: number): string {
    const line = this.lines[this.lineIndexAt(start)];
    if (line === undefined) return "";
    const fence = start <= line.firstVisible ? line.fenceBefore : line.fenceAfter;
    return fence === undefined ? "" : `${reopeningLineOf(fence)}\n`;
  }

  /** The closing fence a part ending at `end` needs: the block open once the part's last line is read. */
  private closingAt(end: number): string {
    const line = this.lines[this.lineIndexAt(end - 1)];
    if (line === undefined) return "";
    return this.closingFor(end >= line.visibleEnd ? line.fenceAfter : line.fenceBefore);
  }

  private closingFor(fence: CodeFence | undefined): string {
    return fence === undefined ? "" : `\n${fence.marker}`;
  }

  private lineIndexAt(position: number): number {
    let low = 0;
    let high = this.lines.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if ((this.lines[middle]?.start ?? 0) <= position) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}

function scanLines(text: string): Line[] {
  const lines: Line[] = [];
  let openFence: CodeFence | undefined;
  let start = 0;
  for (const lineText of text.split("\n")) {
    const end = start + lineText.length;
    const fenceBefore = openFence;
    let kind: LineKind = "content";
    if (openFence === undefined) {
      const opened = codeFenceOpenedBy(lineText);
      if (opened !== undefined) {
        kind = "opening";
        openFence = opened;
      }
    } else if (closesCodeFence(lineText, openFence)) {
      kind = "closing";
      openFence = undefined;
    }
    const leading = lineText.length - lineText.trimStart().length;
    const trimmedLength = lineText.trimEnd().length;
    lines.push({
      start,
      end,
      firstVisible: trimmedLength === 0 ? end : start + leading,
      visibleEnd: start + trimmedLength,
      kind,
      heading: fenceBefore === undefined && kind === "content" && /^\s{0,3}#{1,6}\s/.test(lineText),
      fenceBefore,
      fenceAfter: openFence,
    });
    start = end + 1;
  }
  return lines;
}

/**
 * For every position of the text: where its run of one repeated character ends, and the next
 * backtick, line terminator ("." does not match \r, \u2028, \u2029) and visible character at or
 * after it (the text's length when there is none). Built once a cut needs a fence checked.
 */
interface FenceTables {
  readonly runEnd: Int32Array;
  readonly nextBacktick: Int32Array;
  readonly nextLineTerminator: Int32Array;
  readonly nextVisible: Int32Array;
}

function buildFenceTables(text: string): FenceTables {
  const length = text.length;
  const tables: FenceTables = {
    runEnd: new Int32Array(length + 1),
    nextBacktick: new Int32Array(length + 1),
    nextLineTerminator: new Int32Array(length + 1),
    nextVisible: new Int32Array(length + 1),
  };
  tables.runEnd[length] = length;
  tables.nextBacktick[length] = length;
  tables.nextLineTerminator[length] = length;
  tables.nextVisible[length] = length;
  for (let index = length - 1; index >= 0; index -= 1) {
    const code = text.charCodeAt(index);
    tables.runEnd[index] = code === text.charCodeAt(index + 1) ? (tables.runEnd[index + 1] ?? length) : index + 1;
    tables.nextBacktick[index] = code === 0x60 ? index : (tables.nextBacktick[index + 1] ?? length);
    tables.nextLineTerminator[index] = code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029 ? index : (tables.nextLineTerminator[index + 1] ?? length);
    tables.nextVisible[index] = code === 0x0a || isSpaceWithinLine(code) ? (tables.nextVisible[index + 1] ?? length) : index;
  }
  return tables;
}

const nonAsciiWhitespace = /\s/;

/** Whether a UTF-16 code unit is whitespace other than a line feed (`[^\S\n]`). */
function isSpaceWithinLine(code: number): boolean {
  if (code === 0x20 || code === 0x09) return true;
  if (code < 0x80) return code === 0x0b || code === 0x0c || code === 0x0d;
  return nonAsciiWhitespace.test(String.fromCharCode(code));
}

function splitsSurrogatePair(text: string, position: number): boolean {
  const before = text.charCodeAt(position - 1);
  const after = text.charCodeAt(position);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}
