/**
 * Shows a reply while it streams: "typing" until there is text, the first text at once (the
 * time from the first token to the first visible text is what users feel), then edits at most
 * once per `minEditIntervalMs` with the latest text, and finally the final reply exactly.
 *
 * Surface calls for the reply's text never overlap: one update (a few edits and sends, one after
 * another) runs at a time, while the stream keeps being read; deltas that arrive meanwhile are
 * coalesced into the next update. Streaming updates are best effort; the final render is not: a
 * final edit that fails is retried by sending the part as a new message.
 */
import type { Clock } from "../ports/clock.js";
import type { FinalReply, ReplyChoice, ReplyStream } from "../reply.js";
import type { PartOptions, ReplySurface, SurfaceLimits } from "./reply-surface.js";
import { splitMessage, splitMessageDetailed, type SplitPart } from "./split-message.js";

export interface PresentedReply {
  readonly final: FinalReply;
  /** The messages that carry the reply, in reading order. */
  readonly messageIds: readonly string[];
}

export interface PresentOptions {
  /**
   * An error that ends a command before anything was shown concerns only the person who ran
   * it: on platforms that can, only they see it.
   */
  readonly errorsOnlyForAsker: boolean;
}

/** Text with its choices listed as commands to type, for a surface without buttons. */
function withTypedChoices(text: string, choices: readonly ReplyChoice[], surface: ReplySurface, buttons = surface.showsChoicesAsButtons): string {
  if (choices.length === 0 || buttons) return text;
  return `${text}\n${choices.map((choice) => `\`${choice.command}\``).join(" · ")}`;
}

/** The final text as the surface shows it: choices listed as commands to type where there are no buttons. */
function finalText(reply: FinalReply, surface: ReplySurface): string {
  return reply.kind === "notice" ? withTypedChoices(reply.text, reply.choices ?? [], surface) : reply.text;
}

const defaultWorkingIntervalMs = 4000;

/** Shown after the last part while the answer is still coming, so a pause does not look like the end. */
export const streamingIndicator = "▍";

export async function presentReply(stream: ReplyStream, surface: ReplySurface, clock: Clock, options: PresentOptions): Promise<PresentedReply> {
  const presenter = new LiveReplyPresenter(surface, surface.limits, clock, options);
  // Settled into a value at once: a failed final render must not count as unhandled while the
  // rest of the stream is still being read.
  let finalOutcome: Promise<{ reply: PresentedReply } | { error: unknown }> | undefined;
  try {
    for await (const event of stream) {
      // The stream is read to its end, so the pipeline's own clean-up after the final reply runs.
      if (finalOutcome !== undefined) continue;
      if (event.type === "working") presenter.showWorking();
      else if (event.type === "queued") presenter.showNotice(event.notice);
      else if (event.type === "progress") presenter.showNotice(event.notice, event.stop === undefined ? [] : [event.stop]);
      else if (event.type === "delta") presenter.append(event.text);
      else finalOutcome = presenter.finish(event.reply).then((reply) => ({ reply }), (error: unknown) => ({ error }));
    }
  } finally {
    await presenter.stop();
  }
  if (finalOutcome === undefined) throw new Error("The reply stream ended without a final reply.");
  const outcome = await finalOutcome;
  if ("error" in outcome) throw outcome.error;
  return outcome.reply;
}

interface ShownPart {
  readonly messageId: string;
  /** The text the surface last accepted for this message. */
  text: string;
}

class LiveReplyPresenter {
  private readonly maxPartLength: number;
  private readonly minEditIntervalMs: number;
  private readonly workingIntervalMs: number;
  private readonly shown: ShownPart[] = [];
  private streamedText = "";
  /** Shown in place of the answer until its first text comes (a place in the quota queue, a reading's progress). */
  private notice = "";
  /**
   * Shown under the answer so far while it waits for quota to go on (an answer cut at its budget
   * in the quota queue): without it, a half answer stood still for up to a minute with nothing
   * to say it would go on. Its next words take it away.
   */
  private pauseNote = "";
  /** Buttons under the notice (a reading's "Stop reading"), where the surface has buttons. */
  private noticeChoices: readonly ReplyChoice[] = [];
  /** Streamed text arrived that no update has shown yet. */
  private textPending = false;
  private updating = false;
  private updates: Promise<void> = Promise.resolve();
  /** When the last update that called the surface began; undefined until the first one. */
  private lastUpdateAt: number | undefined;
  /** The first part is on its way: "typing" is over. */
  private sendingStarted = false;
  private workingShown = false;
  private finishing = false;
  /** Cuts short every wait (between updates, between "typing" renewals) once the reply is final. */
  private readonly waits = new AbortController();

  constructor(
    private readonly surface: ReplySurface,
    options: SurfaceLimits,
    private readonly clock: Clock,
    private readonly presentOptions: PresentOptions,
  ) {
    this.maxPartLength = options.maxPartLength;
    this.minEditIntervalMs = options.minEditIntervalMs;
    this.workingIntervalMs = options.workingIntervalMs ?? defaultWorkingIntervalMs;
    if (!(this.minEditIntervalMs >= 0) || !(this.workingIntervalMs > 0)) {
      throw new RangeError("minEditIntervalMs must be at least 0 and workingIntervalMs more than 0");
    }
    splitMessage("", this.maxPartLength); // throws now, not mid-stream, for an unusable limit
  }

  showWorking(): void {
    if (this.workingShown || this.sendingStarted || this.finishing) return;
    this.workingShown = true;
    void this.renewWorking();
  }

  append(text: string): void {
    if (this.finishing) return;
    this.streamedText += text;
    this.pauseNote = "";
    this.requestUpdate();
  }

  /**
   * Puts words where the answer will be (a newer notice replaces the last); the answer edits them
   * away. Once the answer has begun, they go under it instead (`pauseNote`), without choices.
   */
  showNotice(text: string, choices: readonly ReplyChoice[] = []): void {
    if (this.finishing) return;
    if (this.streamedText !== "") {
      if (text === this.pauseNote) return;
      this.pauseNote = text;
      this.requestUpdate();
      return;
    }
    const buttons = this.surface.showsButtonsUnderParts ?? this.surface.showsChoicesAsButtons;
    const shown = withTypedChoices(text, choices, this.surface, buttons);
    if (shown === this.notice) return;
    this.notice = shown;
    this.noticeChoices = buttons ? choices : [];
    this.requestUpdate();
  }

  private requestUpdate(): void {
    this.textPending = true;
    if (this.updating) return;
    this.updating = true;
    this.updates = this.runUpdates();
  }

  async finish(reply: FinalReply): Promise<PresentedReply> {
    await this.stop();
    return this.showFinalText(reply);
  }

  /** No more streaming updates; resolves once the one under way, if any, has finished. */
  async stop(): Promise<void> {
    this.finishing = true;
    this.waits.abort();
    await this.updates;
  }

  private async renewWorking(): Promise<void> {
    while (!this.sendingStarted && !this.finishing) {
      // "typing" is a courtesy: its failure, however it fails, must not disturb the reply.
      try {
        this.surface.showWorking().catch(() => undefined);
      } catch {
        // A surface that throws before returning its promise.
      }
      if (!(await this.pause(this.workingIntervalMs))) return;
    }
  }

  /** Shows the latest streamed text until nothing new is pending; the first update goes out at once. */
  private async runUpdates(): Promise<void> {
    try {
      while (this.textPending && !this.finishing) {
        // Checked again after each wait: a timer may fire a millisecond before the clock says so.
        for (let wait = this.timeUntilNextUpdate(); wait > 0; wait = this.timeUntilNextUpdate()) {
          if (!(await this.pause(wait)) || this.finishing) return;
        }
        this.textPending = false;
        if (this.streamedText === "") await this.showNoticeText(this.notice);
        else await this.showStreamingText(this.streamedText);
      }
    } finally {
      // Cleared in the same turn as the last check of `textPending`, so no delta is left unshown.
      this.updating = false;
    }
  }

  private timeUntilNextUpdate(): number {
    return this.lastUpdateAt === undefined ? 0 : this.lastUpdateAt + this.minEditIntervalMs - this.clock.now();
  }

  private async showStreamingText(text: string): Promise<void> {
    const parts = splitMessageDetailed(text, this.maxPartLength).parts;
    const texts = parts.map((part, index) => (index === parts.length - 1 ? this.withIndicator(part) : part.text));
    let calledSurface = false;
    for (const [index, partText] of texts.entries()) {
      const shownPart = this.shown[index];
      if (shownPart?.text === partText) continue;
      if (this.finishing) return;
      if (!calledSurface) {
        // The interval runs from the start of an update, so a slow call does not stretch it.
        this.lastUpdateAt = this.clock.now();
        calledSurface = true;
      }
      try {
        if (shownPart === undefined) {
          this.sendingStarted = true;
          const messageId = await this.surface.sendPart(partText, this.streamingOptions());
          this.shown.push({ messageId, text: partText });
        } else {
          await this.surface.editPart(shownPart.messageId, partText, this.streamingOptions());
          shownPart.text = partText;
        }
      } catch {
        // Best effort: the next update or the final render shows this text again. A part that
        // failed to appear must not be overtaken by the parts after it.
        if (shownPart === undefined) return;
      }
    }
  }

  /** An answer under way passes quickly, unless it waits for quota to go on (the pause note). */
  private streamingOptions(): PartOptions {
    return this.pauseNote === "" ? { final: false } : { final: false, lasting: true };
  }

  private async showNoticeText(text: string): Promise<void> {
    const shownPart = this.shown[0];
    if (shownPart?.text === text) return;
    this.lastUpdateAt = this.clock.now();
    // A notice stands until the answer comes, often most of a minute.
    const options: PartOptions = { final: false, lasting: true, ...(this.noticeChoices.length === 0 ? {} : { choices: this.noticeChoices }) };
    try {
      if (shownPart === undefined) {
        this.sendingStarted = true;
        this.shown.push({ messageId: await this.surface.sendPart(text, options), text });
      } else {
        await this.surface.editPart(shownPart.messageId, text, options);
        shownPart.text = text;
      }
    } catch {
      // Best effort, like every streaming update: the answer or the final reply shows next.
    }
  }

  /**
   * The part with the streaming indicator after its last line: on a line of its own after a fence
   * line (where it would change the fence), and left out when it would not fit the limit; then
   * the pause note, if any, below it (left out likewise).
   */
  private withIndicator(part: SplitPart): string {
    const lastLine = part.source.slice(part.source.lastIndexOf("\n") + 1).trimStart();
    const looksLikeFence = lastLine.startsWith("```") || lastLine.startsWith("~~~");
    const indicated = `${part.reopening}${part.source}${looksLikeFence ? "\n" : " "}${streamingIndicator}${part.closing}`;
    const text = indicated.length <= this.maxPartLength ? indicated : part.text;
    const noted = this.pauseNote === "" ? text : `${text}\n\n${this.pauseNote}`;
    return noted.length <= this.maxPartLength ? noted : text;
  }

  private async showFinalText(reply: FinalReply): Promise<PresentedReply> {
    const messageIds: string[] = [];
    let editing = true;
    const onlyForAsker = this.presentOptions.errorsOnlyForAsker && reply.kind === "error" && this.streamedText === "";
    const partOptions = { final: true, ...(onlyForAsker ? { onlyForAsker } : {}) };
    for (const [index, text] of splitMessage(finalText(reply, this.surface), this.maxPartLength).entries()) {
      const shownPart = editing ? this.shown[index] : undefined;
      if (shownPart !== undefined) {
        if (shownPart.text === text) {
          messageIds.push(shownPart.messageId);
          continue;
        }
        try {
          await this.surface.editPart(shownPart.messageId, text, partOptions);
          shownPart.text = text;
          messageIds.push(shownPart.messageId);
          continue;
        } catch {
          // The final text must land: this part and every one after it go out as new messages,
          // so the reply still reads in order.
          editing = false;
        }
      }
      messageIds.push(await this.surface.sendPart(text, partOptions));
    }
    await this.removeStaleParts(messageIds);
    const choices = reply.kind === "notice" ? (reply.choices ?? []) : [];
    return { final: reply, messageIds: (await this.surface.finish?.(messageIds, choices)) ?? messageIds };
  }

  /** Parts shown while streaming that the final reply no longer uses. */
  private async removeStaleParts(messageIds: readonly string[]): Promise<void> {
    const deletePart = this.surface.deletePart?.bind(this.surface);
    if (deletePart === undefined) return;
    for (const part of this.shown) {
      if (messageIds.includes(part.messageId)) continue;
      try {
        await deletePart(part.messageId);
      } catch {
        // A leftover message is untidy, not wrong: the reply itself is complete.
      }
    }
  }

  /** Waits on the clock; false when the wait was cut short because the reply is final. */
  private async pause(milliseconds: number): Promise<boolean> {
    try {
      await this.clock.sleep(milliseconds, this.waits.signal);
      return true;
    } catch {
      return false;
    }
  }
}
