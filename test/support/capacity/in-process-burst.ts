import { setMaxListeners } from "node:events";
import type { Mami } from "../../../src/core/mami.js";
import type { PartOptions } from "../../../src/core/presentation/reply-surface.js";
import { chatRequest } from "../chat-request.js";
import { RecordingSurface } from "../recording-surface.js";
import { wallClockTime, type BurstTime, type BurstTiming } from "./burst-timing.js";
import { newMessageRecord, queueNoticeOpening, type MessageRecord } from "./message-outcome.js";
import type { BurstMessage } from "./workload.js";

export interface BurstRun {
  readonly startedAt: number;
  /** In the workload's order; a message that never arrived (the run was cut short) has none. */
  readonly records: readonly (MessageRecord | undefined)[];
}

/** Time to set everything up before the first message is due. */
const leadMs = 200;

/**
 * Offers the burst to the core in-process, in real time (or on `time`), as the adapters do:
 * each message arrives at its scheduled moment with `receivedAt` set to it and goes to
 * `mami.receive` at once, whose gate runs one chat's messages one after another and different
 * chats at the same time. What it shows is read from its reply surface. Nothing waits for one message before
 * offering the next.
 */
export async function runInProcessBurst(mami: Pick<Mami, "receive">, messages: readonly BurstMessage[], timing: BurstTiming, time: BurstTime = wallClockTime): Promise<BurstRun> {
  const startedAt = time.now() + leadMs;
  const records: (MessageRecord | undefined)[] = messages.map(() => undefined);
  const stopping = new AbortController();
  // Every message listens to the one stop signal.
  setMaxListeners(messages.length + 10, stopping.signal);
  const handled = messages.map(async (message) => {
    await time.sleepUntil(startedAt + message.arrivalMs);
    const record = newMessageRecord(message, time.now());
    records[message.index] = record;
    await handleOne(mami, record, stopping.signal, time);
  });

  const lastDeadline = startedAt + Math.max(...messages.map((message) => message.arrivalMs)) + timing.deadlineMs;
  await time.watchUntil(Promise.all(handled), lastDeadline + timing.lateGraceMs, () => stopping.abort(new Error("the bench's watch is over")));
  return { startedAt, records };
}

async function handleOne(mami: Pick<Mami, "receive">, record: MessageRecord, signal: AbortSignal, time: BurstTime): Promise<void> {
  const { message } = record;
  const request = chatRequest(message.text, {
    location: { platform: "cli", chatId: `burst-chat-${message.chat}`, kind: "private" },
    author: { id: `burst-user-${message.chat}`, name: `User ${message.chat}`, isBot: false },
    receivedAt: record.arrivedAt,
  });
  try {
    // One final reply per `receive`: the presenter shows the stream's first and reads the rest.
    const reply = await mami.receive(request, new ObservingSurface(record, time), { signal });
    record.final = { text: reply.text, kind: reply.kind, failure: reply.kind === "error" ? reply.failure : undefined, at: time.now() };
    record.role = reply.kind === "answer" ? reply.role : undefined;
  } catch (error) {
    // The core promises never to throw; if it does, the message simply has no final reply.
    console.error(`[bench] mami.receive threw for ${message.tag}:`, error);
  }
}

/** A reply surface that notes when the queue notice showed, and when any other text did. */
class ObservingSurface extends RecordingSurface {
  constructor(
    private readonly record: MessageRecord,
    private readonly time: BurstTime,
  ) {
    super();
  }

  override async sendPart(markdown: string, options: PartOptions): Promise<string> {
    this.observe(markdown);
    return super.sendPart(markdown, options);
  }

  override async editPart(partId: string, markdown: string, options: PartOptions): Promise<void> {
    this.observe(markdown);
    return super.editPart(partId, markdown, options);
  }

  private observe(markdown: string): void {
    const now = this.time.now();
    if (!markdown.startsWith(queueNoticeOpening)) this.record.firstTextAt ??= now;
    else if (!this.record.queueNoticeShown) {
      this.record.queueNoticeShown = true;
      this.record.noticeAt = now;
    }
  }
}
