import { createServer, type Server } from "node:http";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Mami } from "../core/mami.js";
import type { PlatformAdapter } from "../core/platform-adapter.js";
import { attemptsOf, type FinalReply } from "../core/reply.js";

export interface Metrics {
  readonly registry: Registry;
  observeReply(reply: FinalReply, durationMs: number): void;
  /** From now on, scrapes read the models' quota, the queue and the adapters' connections. */
  watch(mami: Mami, adapters: () => readonly PlatformAdapter[]): void;
}

/**
 * Prometheus metrics: what users get (replies by kind, role and model; time to the final reply;
 * continuations), what each model call did, and at every scrape what each model has left, the
 * quota queue and the platform connections. deploy/grafana/mami-dashboard.json is built on
 * these names; change them together.
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const replies = new Counter({ name: "mami_replies_total", help: "Final replies by kind, role and answering model", labelNames: ["kind", "role", "model"], registers: [registry] });
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
  const continuations = new Counter({ name: "mami_continuations_total", help: "Answers continued after reaching their completion budget", labelNames: ["role"], registers: [registry] });
  const queueWaitSeconds = new Histogram({
    name: "mami_queue_wait_seconds",
    help: "Time answered requests spent in the quota queue (0 when a model was free at once)",
    buckets: [0, 1, 2, 5, 10, 20, 30, 45, 60, 120],
    registers: [registry],
  });

  let watched: { readonly mami: Mami; readonly adapters: () => readonly PlatformAdapter[] } | undefined;
  const perModel = (name: string, help: string, read: (quota: NonNullable<Awaited<ReturnType<Mami["modelStatus"]>>[number]["quota"]>) => number): void => {
    new Gauge({
      name,
      help,
      labelNames: ["model"],
      registers: [registry],
      async collect() {
        this.reset();
        for (const row of (await watched?.mami.modelStatus()) ?? []) if (row.quota !== undefined) this.set({ model: row.model }, read(row.quota));
      },
    });
  };
  perModel("mami_model_tokens_left_minute", "Tokens a model can still take this minute, as Mami counts them", (quota) => quota.tokensPerMinuteRemaining);
  perModel("mami_model_requests_left_minute", "Requests a model can still take this minute", (quota) => quota.requestsPerMinuteRemaining);
  perModel("mami_model_tokens_left_day", "Tokens a model can still take today", (quota) => quota.tokensPerDayRemaining);
  perModel("mami_model_requests_left_day", "Requests a model can still take today", (quota) => quota.requestsPerDayRemaining);
  perModel("mami_model_cooldown_until_seconds", "When a model's cooldown after a 429 ends (unix seconds), 0 when none", (quota) => (quota.cooldownUntil ?? 0) / 1000);
  new Gauge({
    name: "mami_model_gone",
    help: "1 for a model Groq no longer serves, 0 for a live one",
    labelNames: ["model"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of (await watched?.mami.modelStatus()) ?? []) this.set({ model: row.model }, row.live ? 0 : 1);
    },
  });
  new Gauge({
    name: "mami_queue_length",
    help: "Requests waiting for quota now",
    registers: [registry],
    collect() {
      this.set(watched?.mami.queueLength() ?? 0);
    },
  });
  new Gauge({
    name: "mami_adapter_connected",
    help: "1 while the platform connection is up",
    labelNames: ["platform"],
    registers: [registry],
    collect() {
      this.reset();
      for (const adapter of watched?.adapters() ?? []) this.set({ platform: adapter.platform }, adapter.isConnected() ? 1 : 0);
    },
  });

  return {
    registry,
    observeReply(reply, durationMs) {
      const role = reply.kind === "answer" ? reply.role : "";
      const model = reply.kind === "answer" ? reply.model : "";
      replies.inc({ kind: reply.kind, role, model });
      for (const attempt of attemptsOf(reply)) modelAttempts.inc({ model: attempt.model, outcome: attempt.outcome });
      replySeconds.observe({ kind: reply.kind }, durationMs / 1000);
      if (reply.kind === "answer") {
        if (reply.continuations > 0) continuations.inc({ role: reply.role }, reply.continuations);
        queueWaitSeconds.observe(reply.queuedMs / 1000);
      }
    },
    watch(mami, adapters) {
      watched = { mami, adapters };
    },
  };
}

/** `/healthz` and `/metrics`; on 127.0.0.1 unless METRICS_HOST says otherwise (a container scraped by Prometheus). */
export async function startMetricsServer(address: { readonly host: string; readonly port: number }, metrics: Metrics, isHealthy: () => Promise<boolean>): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url === "/healthz") {
      isHealthy()
        .catch(() => false)
        .then((healthy) => response.writeHead(healthy ? 200 : 503, { "content-type": "text/plain" }).end(healthy ? "ok\n" : "unavailable\n"))
        .catch(() => undefined);
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
    server.listen(address.port, address.host, resolve);
  });
  return server;
}
