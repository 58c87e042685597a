const openTag = "<think>";
const closeTag = "</think>";

/**
 * Removes `<think>…</think>` blocks from a stream of text deltas, also when a tag is split
 * across chunks. Qwen models put their reasoning there when `reasoning_format` is not honoured;
 * a chat user must never see it.
 */
export class ThinkStripper {
  private pending = "";
  private insideThink = false;
  private atAnswerStart: boolean;

  /**
   * `continuing`: the text goes on from an answer already shown, so its leading white space is
   * the gap between two words and is kept; only white space after a think block goes.
   */
  constructor(options: { readonly continuing?: boolean } = {}) {
    this.atAnswerStart = options.continuing !== true;
  }

  /** Returns the visible part of `chunk`; keeps back a possible partial tag until the next chunk. */
  push(chunk: string): string {
    this.pending += chunk;
    let visible = "";
    for (;;) {
      if (this.insideThink) {
        const end = this.pending.indexOf(closeTag);
        if (end === -1) {
          // Keep only what could be the start of the closing tag.
          this.pending = this.pending.slice(Math.max(0, this.pending.length - (closeTag.length - 1)));
          break;
        }
        this.pending = this.pending.slice(end + closeTag.length);
        this.insideThink = false;
        this.atAnswerStart = true;
        continue;
      }
      const start = this.pending.indexOf(openTag);
      if (start !== -1) {
        visible += this.pending.slice(0, start);
        this.pending = this.pending.slice(start + openTag.length);
        this.insideThink = true;
        continue;
      }
      const keep = partialPrefixLength(this.pending, openTag);
      visible += this.pending.slice(0, this.pending.length - keep);
      this.pending = this.pending.slice(this.pending.length - keep);
      break;
    }
    return this.trimAnswerStart(visible);
  }

  /** Flushes what was held back; an unclosed think block is dropped. */
  end(): string {
    const rest = this.insideThink ? "" : this.pending;
    this.pending = "";
    return this.trimAnswerStart(rest);
  }

  /** The reasoning block is usually followed by blank lines; the answer should not start with them. */
  private trimAnswerStart(text: string): string {
    if (!this.atAnswerStart) return text;
    const trimmed = text.replace(/^\s+/, "");
    if (trimmed !== "") this.atAnswerStart = false;
    return trimmed;
  }
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag`. */
function partialPrefixLength(text: string, tag: string): number {
  for (let length = Math.min(tag.length - 1, text.length); length > 0; length -= 1) {
    if (text.endsWith(tag.slice(0, length))) return length;
  }
  return 0;
}

/** Strips think blocks from a complete text. */
export function stripThinking(text: string): string {
  const stripper = new ThinkStripper();
  return stripper.push(text) + stripper.end();
}
