import { randomUUID } from "node:crypto";
import { createClient } from "@keyv/redis";
import { expect, it } from "vitest";
import { createKeyValueStore } from "../../src/store/create-store.js";
import { describeWithRedis } from "../support/redis-available.js";

/**
 * Redis needs no purge like SQLite's: the adapter gives each value with a lifetime a PX expiry,
 * and Redis deletes the key itself. Checked on the server, not through keyv.
 */
describeWithRedis("redis:// expiry", (redisUrl) => {
  it("sets a millisecond TTL on keys written with a lifetime, and none on the others", async () => {
    const store = await createKeyValueStore(redisUrl);
    const client = createClient({ url: redisUrl });
    await client.connect();
    try {
      const key = `expiry-${randomUUID()}`;
      await store.set("usage", `${key}-short`, 1, 60_000);
      await store.set("usage", `${key}-forever`, 2);
      // The adapter prefixes each key with its namespace and "::".
      const shortTtl = await client.pTTL(`usage::${key}-short`);
      expect(shortTtl).toBeGreaterThan(50_000);
      expect(shortTtl).toBeLessThanOrEqual(60_000);
      expect(await client.pTTL(`usage::${key}-forever`)).toBe(-1);

      await store.set("usage", `${key}-brief`, 3, 50);
      await new Promise((resolve) => setTimeout(resolve, 120));
      // Gone from the server itself, not merely hidden by keyv on read.
      expect(await client.exists(`usage::${key}-brief`)).toBe(0);
      await store.delete("usage", `${key}-forever`);
    } finally {
      await client.close();
      await store.close();
    }
  });
});
