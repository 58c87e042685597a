import { describe, expect, it } from "vitest";
import { systemClock, type Clock } from "../../../src/core/ports/clock.js";
import type { FinalReply, ReplyEvent, ReplyStream } from "../../../src/core/reply.js";
import { presentReply, streamingIndicator, type PresentedReply } from "../../../src/core/presentation/present-reply.js";
import type { PartOptions, ReplySurface, SurfaceLimits } from "../../../src/core/presentation/reply-surface.js";
import { splitMessage } from "../../../src/core/presentation/split-message.js";
import { ManualClock } from "../../support/manual-clock.js";

type SurfaceCall =
  | { readonly kind: "working"; readonly at: number }
  | { readonly kind: "send"; readonly at: number; readonly messageId: string; readonly text: string; readonly final: boolean; readonly lasting?: true }
  | { readonly kind: "edit"; readonly at: number; readonly messageId: string; readonly text: string; readonly final: boolean; readonly lasting?: true }
  | { readonly kind: "delete"; readonly at: number; readonly messageId: string };

interface SurfaceBehaviour {
  /** How long each send or edit takes, on the clock. */
  readonly latencyMs?: number;
  /** Makes an edit throw (after it was recorded). */
  readonly editFails?: (options: { readonly final: boolean }) => boolean;
  readonly sendFails?: (options: { readonly final: boolean }) => boolean;
  readonly canDelete?: boolean;
}

function lastingOf(options: PartOptions): { readonly lasting?: true } {
  return options.lasting === true ? { lasting: true } : {};
}

/** A chat in memory: records every call and what each message shows now. */
class RecordingSurface implements ReplySurface {
  limits: SurfaceLimits = { maxPartLength: 4096, minEditIntervalMs: 0 };
  readonly showsChoicesAsButtons = false;
  readonly calls: SurfaceCall[] = [];
  readonly shown = new Map<string, string>();
  private nextId = 1;
  private callsInFlight = 0;
  maxCallsInFlight = 0;
  deletePart?: (messageId: string) => Promise<void>;

  constructor(
    private readonly clock: Clock,
    private readonly behaviour: SurfaceBehaviour = {},
  ) {
    if (behaviour.canDelete === true) {
      this.deletePart = async (messageId) => {
        this.calls.push({ kind: "delete", at: clock.now(), messageId });
        this.shown.delete(messageId);
      };
    }
  }

  async showWorking(): Promise<void> {
    this.calls.push({ kind: "working", at: this.clock.now() });
  }

  async sendPart(markdown: string, options: PartOptions): Promise<string> {
    const messageId = `m${this.nextId}`;
    this.nextId += 1;
    this.calls.push({ kind: "send", at: this.clock.now(), messageId, text: markdown, final: options.final, ...lastingOf(options) });
    await this.takeTime();
    if (this.behaviour.sendFails?.(options) === true) throw new Error("send refused");
    this.shown.set(messageId, markdown);
    return messageId;
  }

  async editPart(messageId: string, markdown: string, options: PartOptions): Promise<void> {
    this.calls.push({ kind: "edit", at: this.clock.now(), messageId, text: markdown, final: options.final, ...lastingOf(options) });
    await this.takeTime();
    if (this.behaviour.editFails?.(options) === true) throw new Error("message can't be edited");
    this.shown.set(messageId, markdown);
  }

  callsOf<Kind extends SurfaceCall["kind"]>(kind: Kind): Extract<SurfaceCall, { kind: Kind }>[] {
    return this.calls.filter((call): call is Extract<SurfaceCall, { kind: Kind }> => call.kind === kind);
  }

  textsOf(messageIds: readonly string[]): string[] {
    return messageIds.map((messageId) => this.shown.get(messageId) ?? "<missing>");
  }

  private async takeTime(): Promise<void> {
    this.callsInFlight += 1;
    this.maxCallsInFlight = Math.max(this.maxCallsInFlight, this.callsInFlight);
    try {
      if ((this.behaviour.latencyMs ?? 0) > 0) await this.clock.sleep(this.behaviour.latencyMs ?? 0);
    } finally {
      this.callsInFlight -= 1;
    }
  }
}

function finalReply(text: string): FinalReply {
  return { kind: "answer", text, role: "chat", model: "m", usage: undefined, attempts: [], continuations: 0, queuedMs: 0 };
}

/** Presents on a surface with these limits, as the core does for a request that is not a command. */
function presentLiveReply(stream: ReplyStream, surface: RecordingSurface, limits: SurfaceLimits, clock: Clock): Promise<PresentedReply> {
  surface.limits = limits;
  return presentReply(stream, surface, clock, { errorsOnlyForAsker: false });
}

function delta(text: string): ReplyEvent {
  return { type: "delta", text };
}

const options: SurfaceLimits = { maxPartLength: 200, minEditIntervalMs: 1000, workingIntervalMs: 4000 };

/** Every part balanced on its own: an even number of fence lines. */
function expectBalancedFences(text: string): void {
  expect(text.split("\n").filter((line) => /^\s*```/.test(line)).length % 2).toBe(0);
}

describe("presentLiveReply", () => {
  it("shows the first text the moment it arrives, with the streaming indicator", async () => {
    const clock = new ManualClock(0);
    const surface = new RecordingSurface(clock);
    async function* events(): ReplyStream {
      yield { type: "working", activity: "thinking" };
      await clock.advance(700);
      yield delta("Hello");
      // Checked before the stream goes on: nothing may wait for more text or for the interval.
      expect(surface.callsOf("send")).toEqual([{ kind: "send", at: 700, messageId: "m1", text: `Hello ${streamingIndicator}`, final: false }]);
      await clock.advance(50);
      yield { type: "final", reply: finalReply("Hello") };
    }
    const presented = await presentLiveReply(events(), surface, options, clock);
    expect(presented.messageIds).toEqual(["m1"]);
    expect(surface.textsOf(presented.messageIds)).toEqual(["Hello"]);
    expect(surface.callsOf("edit").at(-1)).toMatchObject({ messageId: "m1", text: "Hello", final: true });
  });

  it("says under an answer that waits for quota to go on that the rest follows, until its next words come", async () => {
    const clock = new ManualClock(0);
    const surface = new RecordingSurface(clock);
    const note = "⏳ Busy right now: the rest of this answer follows in about 50 seconds.";
    async function* events(): ReplyStream {
      yield delta("The first half");
      await clock.advance(1_500);
      // Cut at its budget, the answer waits in the quota queue.
      yield { type: "queued", waitMs: 50_000, notice: note };
      await clock.advance(1_500);
      expect(surface.shown.get("m1")).toBe(`The first half ${streamingIndicator}\n\n${note}`);
      await clock.advance(50_000);
      yield delta(", then the rest.");
      await clock.advance(1_500);
      expect(surface.shown.get("m1")).toBe(`The first half, then the rest. ${streamingIndicator}`);
      yield { type: "final", reply: finalReply("The first half, then the rest.") };
    }
    const presented = await presentLiveReply(events(), surface, options, clock);
    expect(surface.textsOf(presented.messageIds)).toEqual(["The first half, then the rest."]);
    // The half answer stands while it waits: a part that lasts (not a passing draft) from then on.
    expect(surface.callsOf("send")).toMatchObject([{ text: `The first half ${streamingIndicator}` }]);
    expect(surface.callsOf("send")[0]).not.toHaveProperty("lasting");
    expect(surface.callsOf("edit").find((call) => call.text.includes(note))).toMatchObject({ lasting: true });
  });

  it("shows a place in the queue as a part that lasts, and edits it into the answer", async () => {
    const clock = new ManualClock(0);
    const surface = new RecordingSurface(clock);
    const notice = "⏳ Busy right now: your message is in the queue, about 40 seconds.";
    async function* events(): ReplyStream {
      yield { type: "queued", waitMs: 40_000, notice };
      await clock.advance(40_000);
      yield delta("The answer");
      await clock.advance(1_500);
      yield { type: "final", reply: finalReply("The answer") };
    }
    const presented = await presentLiveReply(events(), surface, options, clock);
    expect(surface.callsOf("send")).toEqual([{ kind: "send", at: 0, messageId: "m1", text: notice, final: false, lasting: true }]);
    expect(presented.messageIds).toEqual(["m1"]);
    expect(surface.textsOf(presented.messageIds)).toEqual(["The answer"]);
  });

  it("coalesces a hundred deltas in a second into at most two streaming edits", async () => {
    const clock = new ManualClock(0);
    const surface = new RecordingSurface(clock);
    async function* events(): ReplyStream {
      for (let index = 0; index < 100; index += 1) {
        yield delta(`w${index} `);
        await clock.advance(10);
      }
      yield { type: "final", reply: finalReply(Array.from({ length: 100 }, (_, index) => `w${index}`).join(" ")) };
    }
    const presented = await presentLiveReply(events(), surface, { ...options, maxPartLength: 4096 }, clock);
    const streamingEdits = surface.callsOf("edit").filter((call) => !call.final);
    expect(surface.callsOf("send")).toHaveLength(1);
    expect(streamingEdits.length).toBeGreaterThanOrEqual(1);
    expect(streamingEdits.length).toBeLessThanOrEqual(2);
    expect(surface.textsOf(presented.messageIds)).toEqual([presented.final.text]);
  });

  it("keeps reading the stream while a slow edit is in flight, with one call at a time and edits a second apart", async () => {
    const clock = new ManualClock(0);
    const surface = new RecordingSurface(clock, { latencyMs: 700 });
    const deltaTimes: number[] = [];
    let text = "";
    async function* events(): ReplyStream {
      for (let index = 0; index < 300; index += 1) {
        deltaTimes.push(clock.now());
        text += `word${index} `;
        yield delta(`word${index} `);
        await clock.advance(10);
      }
      yield { type: "final", reply: finalReply(text.trim()) };
      // The final render's calls take time too: the stream is read to its end while they run.
      await clock.advance(10_000);
    }
    const presented = await presentLiveReply(events(), surface, { ...options, maxPartLength: 500 }, clock);

    // Each delta was read 10 ms after the previous one: no surface call held the stream up.
    deltaTimes.forEach((time, index) => expect(time).toBe(index * 10));
    expect(surface.maxCallsInFlight).toBe(1);
    const updateStarts = [...new Set(surface.calls.filter((call) => call.kind !== "working" && !("final" in call && call.final)).map((call) => call.at))];
    for (let index = 1; index < updateStarts.length; index += 1) {
      expect(updateStarts[index]! - updateStarts[index - 1]!).toBeGreaterThanOrEqual(700);
    }
    const firstUpdates = updateStarts.slice(0, 3);
    expect(firstUpdates[1]! - firstUpdates[0]!).toBeGreaterThanOrEqual(1000);
    expect(surface.textsOf(presented.messageIds).join(" ")).toBe(text.trim());
  });

  it("splits a long answer into several messages, each within the limit with balanced code fences", async () => {
    const clock = new ManualClock(0);
    const surface = new RecordingSurface(clock);
    const codeLines = Array.from({ length: 30 }, (_, index) => `console.log(${index});`).join("\n");
    const answer = `Here is a script:\n\n\`\`\`ts\n${codeLines}\n\`\`\`\n\nIt logs thirty numbers, one per line, and then it stops.`;
    async function* events(): ReplyStream {
      for (let start = 0; start < answer.length; start += 7) {
        yield delta(answer.slice(start, start + 7));
        await clock.advance(50);
      }
      yield { type: "final", reply: finalReply(answer) };
    }
    const presented = await presentLiveReply(events(), surface, options, clock);
    expect(presented.messageIds.length).toBeGreaterThan(2);
    const texts = surface.textsOf(presented.messageIds);
    expect(texts).toEqual(splitMessage(answer, options.maxPartLength));
    for (const call of surface.calls) {
      if (call.kind !== "send" && call.kind !== "edit") continue;
      expect(call.text.length).toBeLessThanOrEqual(options.maxPartLength);
      expectBalancedFences(call.text);
    }
    expect(texts.some((part) => part.startsWith("```ts\n"))).toBe(true);
  });

  it("renders the final text exactly, footer included and indicator gone, editing only what changed", async () => {
    const clock = new ManualClock(0);
    const surface = new RecordingSurface(clock);
    const firstParagraph = "First paragraph, long enough to fill most of a part. ".repeat(3).trim();
    const secondParagraph = "Second paragraph that streams in afterwards.";
    const footer = "\n\n_llama-3.3-70b · 1.4 s_";
    async function* events(): ReplyStream {
      yield delta(`${firstParagraph}\n\n`);
      await clock.advance(1500);
      yield delta(secondParagraph);
      await clock.advance(1500);
      yield { type: "final", reply: finalReply(`${firstParagraph}\n\n${secondParagraph}${footer}`) };
    }
    const presented = await presentLiveReply(events(), surface, options, clock);
    const expected = splitMessage(`${firstParagraph}\n\n${secondParagraph}${footer}`, options.maxPartLength);
    expect(expected).toHaveLength(2);
    expect(surface.textsOf(presented.messageIds)).toEqual(expected);
    expect([...surface.shown.values()].join("")).not.toContain(streamingIndicator);
    // The first part was complete before the end: the final render leaves it alone.
    const finalCalls = surface.calls.filter((call) => "final" in call && call.final);
    expect(finalCalls.map((call) => ("messageId" in call ? call.messageId : ""))).toEqual([presented.messageIds[1]]);
  });

  it("sends the final text as new messages when a final edit fails, and removes the stale ones", async () => {
    const clock = new ManualClock(0);
    const surface = new RecordingSurface(clock, { editFails: ({ final }) => final, canDelete: true });
    const first = "A".repeat(190);
    async function* events(): ReplyStream {
      yield delta(`${first}\n\nstreamed tail`);
      await clock.advance(1200);
      yield delta(" more");
      await clock.advance(1200);
      yield { type: "final", reply: finalReply(`${first}\n\nstreamed tail more, and a footer`) };
    }
    const presented = await presentLiveReply(events(), surface, options, clock);
    expect(surface.textsOf(presented.messageIds)).toEqual([first, "streamed tail more, and a footer"]);
    expect(presented.messageIds[0]).toBe("m1");
    expect(presented.messageIds[1]).not.toBe("m2");
    expect(surface.callsOf("send").at(-1)).toMatchObject({ text: "streamed tail more, and a footer", final: true });
    expect(surface.callsOf("delete").map((call) => call.messageId)).toEqual(["m2"]);
  });

  it("keeps the reply in order when an earlier part's final edit fails: the rest is sent again after it", async () => {
    const clock = new ManualClock(0);
    const surface = new RecordingSurface(clock, { editFails: ({ final }) => final });
    const streamed = `${"a".repeat(150)}\n\n${"b".repeat(150)}`;
    async function* events(): ReplyStream {
      yield delta(streamed);
      await clock.advance(10);
      yield { type: "final", reply: finalReply(`${"a".repeat(140)}\n\n${"b".repeat(150)}`) };
    }
    const presented = await presentLiveReply(events(), surface, options, clock);
    expect(surface.textsOf(presented.messageIds)).toEqual(["a".repeat(140), "b".repeat(150)]);
    expect(presented.messageIds).toEqual(["m3", "m4"]);
  });

  it("swallows failed streaming edits and still lands the final text", async () => {
    const clock = new ManualClock(0);
    const surface = new RecordingSurface(clock, { editFails: ({ final }) => !final });
    async function* events(): ReplyStream {
      for (let index = 0; index < 30; index += 1) {
        yield delta(`chunk${index} `);
        await clock.advance(200);
      }
      yield { type: "final", reply: finalReply("the final answer") };
    }
    const presented = await presentLiveReply(events(), surface, options, clock);
    expect(surface.callsOf("edit").filter((call) => !call.final).length).toBeGreaterThan(2);
    expect(surface.textsOf(presented.messageIds)).toEqual(["the final answer"]);
  });

  it("shows working on a working event and renews it while nothing is visible, never once text is", async () => {
    const clock = new ManualClock(0);
    const surface = new RecordingSurface(clock);
    async function* events(): ReplyStream {
      yield { type: "working", activity: "screening" };
      await clock.advance(3000);
      yield { type: "working", activity: "thinking" };
      await clock.advance(7000);
      yield delta("Visible now");
      await clock.advance(9000);
      yield { type: "working", activity: "thinking" };
      await clock.advance(9000);
      yield { type: "final", reply: finalReply("Visible now, done") };
    }
    await presentLiveReply(events(), surface, options, clock);
    expect(surface.callsOf("working").map((call) => call.at)).toEqual([0, 4000, 8000]);
    const firstSendAt = surface.callsOf("send")[0]!.at;
    expect(surface.callsOf("working").every((call) => call.at < firstSendAt)).toBe(true);
  });

  it("keeps showing working through blank deltas, which make nothing visible", async () => {
    const clock = new ManualClock(0);
    const surface = new RecordingSurface(clock);
    async function* events(): ReplyStream {
      yield { type: "working", activity: "thinking" };
      yield delta("\n\n");
      await clock.advance(5000);
      yield delta("Text");
      yield { type: "final", reply: finalReply("Text") };
    }
    const presented = await presentLiveReply(events(), surface, options, clock);
    expect(surface.callsOf("working").map((call) => call.at)).toEqual([0, 4000]);
    expect(surface.callsOf("send")[0]).toMatchObject({ at: 5000, text: `Text ${streamingIndicator}` });
    expect(surface.textsOf(presented.messageIds)).toEqual(["Text"]);
  });

  it("puts the indicator inside an open code block, never after its closing fence", async () => {
    const clock = new ManualClock(0);
    const surface = new RecordingSurface(clock);
    async function* events(): ReplyStream {
      yield delta("Run:\n```bash\nnpm test");
      await clock.advance(1500);
      yield delta("\n```");
      await clock.advance(1500);
      yield { type: "final", reply: finalReply("Run:\n```bash\nnpm test\n```") };
    }
    await presentLiveReply(events(), surface, options, clock);
    const streamedTexts = surface.calls.filter((call) => (call.kind === "send" || call.kind === "edit") && !call.final).map((call) => ("text" in call ? call.text : ""));
    expect(streamedTexts).toEqual([`Run:\n\`\`\`bash\nnpm test ${streamingIndicator}\n\`\`\``, `Run:\n\`\`\`bash\nnpm test\n\`\`\`\n${streamingIndicator}`]);
  });

  it("throws when the stream ends without a final reply", async () => {
    const clock = new ManualClock(0);
    const surface = new RecordingSurface(clock);
    async function* events(): ReplyStream {
      yield delta("partial");
    }
    await expect(presentLiveReply(events(), surface, options, clock)).rejects.toThrow(/without a final reply/);
  });

  it("throws the final send's error when the final text cannot be delivered at all", async () => {
    const clock = new ManualClock(0);
    const surface = new RecordingSurface(clock, { sendFails: ({ final }) => final });
    async function* events(): ReplyStream {
      yield { type: "final", reply: finalReply("nowhere to go") };
    }
    await expect(presentLiveReply(events(), surface, options, clock)).rejects.toThrow("send refused");
  });

  it("coalesces on the real clock too", async () => {
    const surface = new RecordingSurface(systemClock);
    async function* events(): ReplyStream {
      for (let index = 0; index < 40; index += 1) {
        yield delta(`d${index} `);
        await systemClock.sleep(5);
      }
      yield { type: "final", reply: finalReply("done") };
    }
    const startedAt = Date.now();
    const presented = await presentLiveReply(events(), surface, { maxPartLength: 4096, minEditIntervalMs: 100 }, systemClock);
    const elapsedMs = Date.now() - startedAt;
    const streamingEdits = surface.callsOf("edit").filter((call) => !call.final);
    // Forty deltas, one every 5 ms or more: the first send, then an edit every 100 ms at most.
    expect(streamingEdits.length).toBeGreaterThanOrEqual(1);
    expect(streamingEdits.length).toBeLessThanOrEqual(Math.floor(elapsedMs / 100));
    for (let index = 1; index < streamingEdits.length; index += 1) {
      expect(streamingEdits[index]!.at - streamingEdits[index - 1]!.at).toBeGreaterThanOrEqual(100);
    }
    expect(surface.textsOf(presented.messageIds)).toEqual(["done"]);
  });
});
