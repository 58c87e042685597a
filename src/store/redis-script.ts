import { createHash } from "node:crypto";

/** What running a Lua script needs of a Redis client (node-redis, as @keyv/redis exposes it). */
export interface ScriptClient {
  evalSha(sha1: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/**
 * A Lua script run by its SHA-1, so that only the first call (and the first after Redis
 * restarted and forgot its scripts) sends the source.
 */
export class RedisScript {
  private readonly sha1: string;

  constructor(private readonly source: string) {
    this.sha1 = createHash("sha1").update(source).digest("hex");
  }

  async run(client: ScriptClient, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await client.evalSha(this.sha1, { keys, arguments: args });
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return client.eval(this.source, { keys, arguments: args });
    }
  }
}
