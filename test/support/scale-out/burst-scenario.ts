import type { BurstMessage } from "../capacity/workload.js";
import type { RunningRedisServer } from "../redis-server.js";
import { startRedisServer } from "../redis-server.js";
import { evenBurst } from "./even-burst.js";

export interface BurstScenarioShape {
  /** Messages in the burst (the warm-up comes on top). */
  readonly burstMessages: number;
  /** The burst's messages arrive evenly over this long. */
  readonly burstMs: number;
  readonly warmUpMessages: number;
  /** Between two warm-up messages: long enough that each answer is learned before the next is chosen. */
  readonly warmUpSpacingMs: number;
}

export interface BurstScenario {
  readonly warmUp: readonly BurstMessage[];
  readonly burst: readonly BurstMessage[];
}

/**
 * Alike messages from 25 chats, answered at 150 tokens each: a warm-up, then a burst larger than
 * what the live answer models take in their first minute (three models, 29 such answers each
 * on the free tier), so a run is measured by how well it fills that minute.
 */
export function burstScenario(shape: BurstScenarioShape): BurstScenario {
  const messages = evenBurst({ messages: shape.warmUpMessages + shape.burstMessages, chats: 25, burstMs: shape.burstMs, answerTokens: 150 });
  const warmUp = messages.slice(0, shape.warmUpMessages).map((message) => ({ ...message, arrivalMs: message.index * shape.warmUpSpacingMs }));
  const burst = messages
    .slice(shape.warmUpMessages)
    .map((message, index) => ({ ...message, arrivalMs: Math.floor((index * shape.burstMs) / shape.burstMessages) }));
  return { warmUp, burst };
}

export interface RedisOutage {
  /** Stops the server `afterMs` into the burst and starts it again on its port `downForMs` later. */
  run(): Promise<void>;
  /** The server as it runs now (a new one after the outage). */
  readonly current: RunningRedisServer;
}

export function redisOutage(server: RunningRedisServer, afterMs: number, downForMs: number): RedisOutage {
  let current = server;
  return {
    get current() {
      return current;
    },
    async run() {
      await new Promise((resolve) => setTimeout(resolve, afterMs));
      await current.stop();
      await new Promise((resolve) => setTimeout(resolve, downForMs));
      current = await startRedisServer(server.port);
    },
  };
}
