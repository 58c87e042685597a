/** What every handler of the Discord adapter needs: the core, where to log, time, and the requests in flight. */
import type { Mami } from "../../core/mami.js";
import type { RequestsInFlight } from "../../core/platform-adapter.js";
import type { Clock } from "../../core/ports/clock.js";
import type { Logger } from "../../core/ports/logger.js";
import type { IntakeOrder } from "./intake-order.js";

export interface DiscordContext {
  readonly mami: Mami;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Answers under way: a stop waits for them, then aborts the rest. */
  readonly inFlight: RequestsInFlight;
  /** Each channel's messages reach the core in the order Discord sent them. */
  readonly intake: IntakeOrder;
}
