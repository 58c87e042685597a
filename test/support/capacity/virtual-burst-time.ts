import type { VirtualTime } from "../virtual-time.js";
import type { BurstTime } from "./burst-timing.js";

/** How long the work may take to wind down once the watch is over, on the virtual clock. */
const windDownMs = 15_000;

/**
 * A burst on virtual time: every moment is read from the clock Mami and the fake Groq share,
 * which moves only while nothing is on the wire (VirtualTime.drive), so a run takes seconds and
 * the machine's load does not shift which message gets a minute's last room (only the order in
 * which calls sent at the same virtual moment reach the fake can).
 */
export function virtualBurstTime(time: VirtualTime): BurstTime {
  const sleepUntil = (at: number): Promise<void> => time.at(at, () => Promise.resolve());
  return {
    now: () => time.clock.now(),
    sleepUntil,
    watchUntil: async (work, stopAt, stop) => {
      await time.drive(Promise.race([work, sleepUntil(stopAt)]));
      stop();
      await time.drive(Promise.race([work, sleepUntil(time.clock.now() + windDownMs)]));
    },
  };
}
