import { setMaxListeners } from "node:events";
import type { Mami } from "../../../src/core/mami.js";
import type { ReplyEvent } from "../../../src/core/reply.js";
import { chatRequest } from "../chat-request.js";
import { sleepUntil, watchUntil, type BurstTiming } from "./burst-timing.js";
import { newMessageRecord, type MessageRecord } from "./message-outcome.js";
import type { BurstMessage } from "./workload.js";

export interface BurstRun {
  readonly startedAt: number;
  /** In the workload's order; a message that never arrived (the run was cut short) has none. */
  readonly records: readonly (MessageRecord | undefined)[];
}

/** Time to set everything up before the first message is due. */
const leadMs = 200;

/**
 * Offers the burst to the core in-process, in real time. Each message arrives at its scheduled
 * moment with `receivedAt` set to it; messages of one chat are handled one after another, as
 * the adapters do (grammY's sequentialize, discord.js's per-channel order), and different chats
 * at the same time. Nothing waits for one message before offering the next.
 */
export async function runInProcessBurst(mami: Pick<Mami, "reply">, messages: readonly BurstMessage[], timing: BurstTiming): Promise<BurstRun> {
  const startedAt = Date.now() + leadMs;
  const records: (MessageRecord | undefined)[] = messages.map(() => undefined);
  const stopping = new AbortController();
  // Every message listens to the one stop signal.
  setMaxListeners(messages.length + 10, stopping.signal);
  const chatQueues = new Map<number, Promise<void>>();
  const handled: Promise<void>[] = [];

  for (const message of messages) {
    const arrived = sleepUntil(startedAt + message.arrivalMs).then(() => {
      const record = newMessageRecord(message, Date.now());
      records[message.index] = record;
      return record;
    });
    const previous = chatQueues.get(message.chat) ?? Promise.resolve();
    const done = Promise.all([arrived, previous]).then(([record]) => handleOne(mami, record, stopping.signal));
    chatQueues.set(message.chat, done);
    handled.push(done);
  }

  const lastDeadline = startedAt + Math.max(...messages.map((message) => message.arrivalMs)) + timing.deadlineMs;
  await watchUntil(Promise.all(handled), lastDeadline + timing.lateGraceMs, () => stopping.abort(new Error("the bench's watch is over")));
  return { startedAt, records };
}

async function handleOne(mami: Pick<Mami, "reply">, record: MessageRecord, signal: AbortSignal): Promise<void> {
  const { message } = record;
  const request = chatRequest(message.text, {
    location: { platform: "cli", chatId: `burst-chat-${message.chat}`, kind: "private" },
    author: { id: `burst-user-${message.chat}`, name: `User ${message.chat}`, isBot: false },
    receivedAt: record.arrivedAt,
  });
  try {
    for await (const event of mami.reply(request, { signal })) observe(record, event);
  } catch (error) {
    // The core promises never to throw; if it does, the message simply has no final reply.
    console.error(`[bench] mami.reply threw for ${message.tag}:`, error);
  }
}

function observe(record: MessageRecord, event: ReplyEvent): void {
  const now = Date.now();
  if (event.type === "queued" && !record.queueNoticeShown) {
    record.queueNoticeShown = true;
    record.noticeAt = now;
  } else if (event.type === "delta") {
    record.firstTextAt ??= now;
  } else if (event.type === "final") {
    if (record.final !== undefined) {
      record.extraFinals += 1;
      return;
    }
    const reply = event.reply;
    record.final = { text: reply.text, kind: reply.kind, failure: reply.kind === "error" ? reply.failure : undefined, at: now };
    record.role = reply.kind === "answer" ? reply.role : undefined;
  }
}
