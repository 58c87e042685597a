import { once } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** What stands in front of several webhook workers behind one URL. */
export interface DuplicatingFront {
  /** The URL Telegram posts to (set as TELEGRAM_WEBHOOK_URL on every worker). */
  readonly url: string;
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A front for webhook workers that delivers every update to each of them, the worst a load
 * balancer with retries can do: each worker receives every update. The workers get it in the
 * given order, each `staggerMs` after the one before, so a test knows which one claims first.
 * Answers 200 when any worker took the update (a worker that is down is skipped).
 */
export async function startDuplicatingFront(path: string, workerPorts: () => readonly number[], staggerMs: number): Promise<DuplicatingFront> {
  const server = createServer((request, response) => {
    void (async () => {
      const body = await bodyOf(request);
      const headers: Record<string, string> = { "content-type": "application/json" };
      const secret = request.headers["x-telegram-bot-api-secret-token"];
      if (typeof secret === "string") headers["x-telegram-bot-api-secret-token"] = secret;
      const deliveries = workerPorts().map(async (port, index) => {
        await new Promise((resolve) => setTimeout(resolve, index * staggerMs));
        const delivered = await fetch(`http://127.0.0.1:${port}${path}`, { method: "POST", headers, body }).catch(() => undefined);
        return delivered?.status === 200;
      });
      // Telegram is told once the first worker has it, as a balancer would answer.
      const first = await deliveries[0];
      const any = first === true || (await Promise.all(deliveries)).some(Boolean);
      response.writeHead(any ? 200 : 502).end();
    })();
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
