import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { VirtualTime } from "../support/virtual-time.js";

/** Work in real time that lets the event loop turn between its steps, as splitting a long document does. */
async function workInSteps(steps: number): Promise<number> {
  let done = 0;
  for (let step = 0; step < steps; step += 1) {
    await nextTurn();
    done += 1;
  }
  return done;
}

describe("virtual time in the benches", () => {
  it("stands still while work yields between its steps, and runs on once it is quiet", async () => {
    const time = new VirtualTime();
    const start = time.clock.now();
    // Another chat's message, due 20 s on: the clock jumps there only once nothing else is under way.
    const woke: number[] = [];
    void time.clock.sleep(20_000).then(() => woke.push(time.clock.now()));
    expect(await time.drive(workInSteps(5_000))).toBe(5_000);
    expect(time.clock.now()).toBe(start);
    expect(woke).toEqual([]);
    await time.drive(time.at(start + 25_000, () => Promise.resolve()));
    expect(woke).toEqual([start + 20_000]);
    expect(time.clock.now()).toBe(start + 25_000);
  });
});
