import { describe, expect, it } from "vitest";
import { RequestsInFlight } from "../../src/core/platform-adapter.js";
import { ManualClock, settle } from "../support/manual-clock.js";

describe("the requests an adapter is answering", () => {
  it("let every request under way listen for the stop without a leak warning, and abort them all at its deadline", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const clock = new ManualClock();
      const inFlight = new RequestsInFlight(clock);
      // A burst's worth of requests waiting for their turn, each listening on the one signal.
      let aborted = 0;
      for (let index = 0; index < 200; index += 1) inFlight.signal.addEventListener("abort", () => (aborted += 1), { once: true });
      let finish = (): void => undefined;
      inFlight.track(new Promise<void>((resolve) => (finish = resolve)));
      await settle();
      expect(warnings.filter((warning) => warning.name === "MaxListenersExceededWarning")).toEqual([]);

      const stopping = inFlight.stop(1_000);
      await clock.advance(1_000);
      expect(aborted).toBe(200);
      finish();
      await clock.advance(5_000);
      expect(await stopping).toBe(0);
    } finally {
      process.off("warning", onWarning);
    }
  });
});
