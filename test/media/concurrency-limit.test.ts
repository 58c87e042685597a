import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { createConcurrencyLimit } from "../../src/media/concurrency-limit.js";

describe("createConcurrencyLimit", () => {
  it.each([1, 2, 3])("never runs more than %i tasks at once, and runs them all", async (max) => {
    const limit = createConcurrencyLimit(max);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        limit.run(async () => {
          running += 1;
          peak = Math.max(peak, running, limit.active);
          await sleep(5);
          running -= 1;
          return index;
        }),
      ),
    );
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(max);
    expect({ active: limit.active, waiting: limit.waiting }).toEqual({ active: 0, waiting: 0 });
  });

  it("starts waiting tasks in arrival order", async () => {
    const limit = createConcurrencyLimit(1);
    const started: number[] = [];
    await Promise.all([0, 1, 2, 3].map((index) => limit.run(async () => void started.push(index))));
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it("frees the slot of a task that fails", async () => {
    const limit = createConcurrencyLimit(1);
    await expect(limit.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(limit.run(async () => "next")).resolves.toBe("next");
    expect(limit.active).toBe(0);
  });

  it("refuses a limit below one", () => {
    expect(() => createConcurrencyLimit(0)).toThrow(RangeError);
  });
});
