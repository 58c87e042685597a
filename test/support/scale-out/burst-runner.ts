import { setMaxListeners } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import type { Mami } from "../../../src/core/mami.js";
import type { Clock } from "../../../src/core/ports/clock.js";
import type { FinalReply } from "../../../src/core/reply.js";
import type { BurstMessage } from "../capacity/workload.js";
import { chatRequest } from "../chat-request.js";

/** What became of one message: its final reply, when (on the run's clock), and any reply beyond the first. */
export interface BurstRecord {
  readonly message: BurstMessage;
  readonly arrivedAt: number;
  final: FinalReply | undefined;
  finalAt: number | undefined;
  extraFinals: number;
}

/**
 * Offers the messages to the processes in real time, each at its arrival time, on the run's
 * clock (which a test may have shifted past earlier minutes): a chat's messages one after
 * another, as the adapters handle them, different chats at once. Stops waiting `deadlineMs`
 * after the last arrival and aborts what still runs.
 */
export async function offerBurst(front: Pick<Mami, "reply">, messages: readonly BurstMessage[], clock: Clock, deadlineMs: number): Promise<BurstRecord[]> {
  const startedAt = Date.now() + 100;
  const stopping = new AbortController();
  setMaxListeners(messages.length + 10, stopping.signal);
  const records: BurstRecord[] = [];
  const chatQueues = new Map<number, Promise<void>>();
  const handled = messages.map((message) => {
    const arrived = sleep(Math.max(0, startedAt + message.arrivalMs - Date.now())).then(() => {
      const record: BurstRecord = { message, arrivedAt: clock.now(), final: undefined, finalAt: undefined, extraFinals: 0 };
      records.push(record);
      return record;
    });
    const done = Promise.all([arrived, chatQueues.get(message.chat)]).then(async ([record]) => {
      const request = chatRequest(message.text, {
        location: { platform: "cli", chatId: `burst-chat-${message.chat}`, kind: "private" },
        author: { id: `burst-user-${message.chat}`, name: `User ${message.chat}`, isBot: false },
        receivedAt: record.arrivedAt,
      });
      for await (const event of front.reply(request, { signal: stopping.signal })) {
        if (event.type !== "final") continue;
        if (record.final !== undefined) record.extraFinals += 1;
        else {
          record.final = event.reply;
          record.finalAt = clock.now();
        }
      }
    });
    chatQueues.set(message.chat, done);
    return done;
  });
  const lastArrival = Math.max(...messages.map((message) => message.arrivalMs));
  const watchUntil = startedAt + lastArrival + deadlineMs + 3_000;
  await Promise.race([Promise.allSettled(handled), sleep(Math.max(0, watchUntil - Date.now()))]);
  stopping.abort(new Error("the burst's watch is over"));
  await Promise.race([Promise.allSettled(handled), sleep(10_000)]);
  return records.sort((first, second) => first.message.index - second.message.index);
}

/** Answered whole, within the deadline from its arrival. */
export function servedInTime(record: BurstRecord, deadlineMs: number): boolean {
  return record.final?.kind === "answer" && record.final.text.includes(record.message.answer) && (record.finalAt ?? Infinity) <= record.arrivedAt + deadlineMs;
}
