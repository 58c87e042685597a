/** What every handler of the Discord adapter needs: the core, where to log, time, and shutdown. */
import type { MamiCore } from "../../core/mami-core.js";
import type { Clock } from "../../core/ports/clock.js";
import type { Logger } from "../../core/ports/logger.js";

export interface AdapterContext {
  readonly core: MamiCore;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Aborted when the bot stops, so answers under way stop calling models. */
  readonly shutdown: AbortSignal;
}
