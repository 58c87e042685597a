import type { Context } from "grammy";
import type { Message } from "grammy/types";
import { describe, expect, it } from "vitest";
import { albumOf, collectMediaGroups } from "../../../src/adapters/telegram/media-groups.js";
import type { Clock } from "../../../src/core/ports/clock.js";

/** Time that moves only when the test says so, so that the quiet period and the cap are exact. */
class ManualClock implements Clock {
  private time = 0;
  private sleepers: { readonly until: number; readonly wake: () => void }[] = [];

  now(): number {
    return this.time;
  }

  sleep(milliseconds: number): Promise<void> {
    return new Promise((resolve) => this.sleepers.push({ until: this.time + milliseconds, wake: resolve }));
  }

  async advanceTo(time: number): Promise<void> {
    this.time = time;
    const due = this.sleepers.filter((sleeper) => sleeper.until <= time);
    this.sleepers = this.sleepers.filter((sleeper) => sleeper.until > time);
    for (const sleeper of due) sleeper.wake();
    // Let the woken middleware run up to its next sleep or next().
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const chat = { id: 5, type: "private" as const, first_name: "Ada" };

function update(messageId: number, mediaGroupId?: string): Context {
  const message: Message = { message_id: messageId, date: 0, chat, ...(mediaGroupId === undefined ? {} : { media_group_id: mediaGroupId }) };
  return { message, chat } as unknown as Context;
}

/** The middleware, and what went on past it: each update as its message ids (an album's all). */
function collector(clock: ManualClock) {
  const passedOn: number[][] = [];
  const middleware = collectMediaGroups(clock, (context) => String(context.chat?.id));
  const push = (context: Context): void => {
    void middleware(context, async () => {
      passedOn.push((albumOf(context) ?? [context.message!]).map((message) => message.message_id));
    });
  };
  return { push, passedOn };
}

describe("collectMediaGroups", () => {
  it("closes an album after a quiet period that each new item extends", async () => {
    const clock = new ManualClock();
    const { push, passedOn } = collector(clock);
    push(update(1, "a"));
    await clock.advanceTo(500);
    push(update(2, "a"));
    await clock.advanceTo(1000);
    expect(passedOn).toEqual([]);
    await clock.advanceTo(1100);
    expect(passedOn).toEqual([[1, 2]]);
  });

  it("closes an album that keeps growing at the cap, and a later item opens an album of its own", async () => {
    const clock = new ManualClock();
    const { push, passedOn } = collector(clock);
    for (const [index, time] of [0, 500, 1000, 1500].entries()) {
      await clock.advanceTo(time);
      push(update(index + 1, "a"));
    }
    await clock.advanceTo(2000);
    expect(passedOn).toEqual([[1, 2, 3, 4]]);
    push(update(5, "a"));
    await clock.advanceTo(2600);
    expect(passedOn).toEqual([[1, 2, 3, 4], [5]]);
  });

  it("lets nothing of the chat overtake an open album, and passes a chat without albums straight on", async () => {
    const clock = new ManualClock();
    const { push, passedOn } = collector(clock);
    push(update(1));
    expect(passedOn).toEqual([[1]]);
    push(update(2, "a"));
    push(update(3, "a"));
    push(update(4));
    push(update(5, "b"));
    push(update(6));
    await clock.advanceTo(599);
    expect(passedOn).toEqual([[1]]);
    await clock.advanceTo(600);
    expect(passedOn).toEqual([[1], [2, 3], [4], [5], [6]]);
    push(update(7));
    expect(passedOn.at(-1)).toEqual([7]);
  });
});
