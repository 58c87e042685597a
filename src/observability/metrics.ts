import { createServer, type Server } from "node:http";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { FinalReply } from "../core/reply.js";

export interface Metrics {
  readonly registry: Registry;
  observeReply(reply: FinalReply, durationMs: number): void;
}

/** Prometheus metrics of what users get (replies by kind, role, model) and what each model call did. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const replies = new Counter({
    name: "mami_replies_total",
    help: "Final replies by kind, role and answering model",
    labelNames: ["kind", "role", "model"],
    registers: [registry],
  });
  const modelAttempts = new Counter({
    name: "mami_model_attempts_total",
    help: "Models tried or skipped while serving requests, by outcome",
    labelNames: ["model", "outcome"],
    registers: [registry],
  });
  const replySeconds = new Histogram({
    name: "mami_reply_seconds",
    help: "Time from a request to its final reply",
    labelNames: ["kind"],
    buckets: [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64],
    registers: [registry],
  });
  return {
    registry,
    observeReply(reply, durationMs) {
      replies.inc({ kind: reply.kind, role: reply.role ?? "", model: reply.model ?? "" });
      for (const attempt of reply.attempts) modelAttempts.inc({ model: attempt.model, outcome: attempt.outcome });
      replySeconds.observe({ kind: reply.kind }, durationMs / 1000);
    },
  };
}

/** `/healthz` and `/metrics` on 127.0.0.1 only: metrics are for the operator, not the internet. */
export async function startMetricsServer(port: number, metrics: Metrics, isHealthy: () => boolean): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url === "/healthz") {
      const healthy = isHealthy();
      response.writeHead(healthy ? 200 : 503, { "content-type": "text/plain" }).end(healthy ? "ok\n" : "starting\n");
      return;
    }
    if (request.url === "/metrics") {
      metrics.registry
        .metrics()
        .then((body) => response.writeHead(200, { "content-type": metrics.registry.contentType }).end(body))
        .catch(() => response.writeHead(500).end());
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return server;
}
