/**
 * The names the deployment files are built on, in one place: the settings and Prometheus metrics
 * of the scale-out issue. compose.yaml, prometheus.yml, the alerts, the Grafana dashboard and
 * docs/deploy.md are checked against these lists, so a typo there fails a test instead of showing
 * an empty panel.
 */
import { readFileSync } from "node:fs";
import { Registry, collectDefaultMetrics } from "prom-client";

export const repositoryRoot = new URL("../../", import.meta.url);

/** Reads a file of the repository as text. */
export function repositoryFile(path: string): string {
  return readFileSync(new URL(path, repositoryRoot), "utf8");
}

/** Settings the scale-out issue adds; every other setting is listed in `.env.example`. */
const scaleOutSettings = ["METRICS_HOST", "DISCORD_SHARD_COUNT", "DISCORD_SHARD_IDS", "SHUTDOWN_GRACE_SECONDS"] as const;

/** Every setting Mami reads: `.env.example`'s names and the scale-out issue's. */
export function knownSettings(): ReadonlySet<string> {
  const documented = [...repositoryFile(".env.example").matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]!);
  return new Set([...documented, ...scaleOutSettings]);
}

/** Settings whose values are secrets: never written in a repository file or baked into an image. */
export const secretSettings = ["GROQ_API_KEY", "DISCORD_BOT_TOKEN", "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET"] as const;

/** Mami's own Prometheus metrics and their types (histograms also export _bucket, _sum, _count). */
export const mamiMetrics = {
  mami_replies_total: "counter",
  mami_model_attempts_total: "counter",
  mami_reply_seconds: "histogram",
  mami_model_tokens_left_minute: "gauge",
  mami_model_requests_left_minute: "gauge",
  mami_model_tokens_left_day: "gauge",
  mami_model_requests_left_day: "gauge",
  mami_model_cooldown_until_seconds: "gauge",
  mami_model_gone: "gauge",
  mami_queue_length: "gauge",
  mami_queue_wait_seconds: "histogram",
  mami_continuations_total: "counter",
  mami_adapter_connected: "gauge",
} as const satisfies Record<string, "counter" | "gauge" | "histogram">;

/** Series Prometheus adds to every scrape target by itself. */
const prometheusOwnSeries = ["up", "scrape_duration_seconds", "scrape_samples_scraped"];

/**
 * Every series name a query may use: Mami's metrics (with histogram suffixes), Node's default
 * process metrics as prom-client's `collectDefaultMetrics` names them, and Prometheus's own.
 */
export async function knownSeries(): Promise<ReadonlySet<string>> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const defaults = await registry.getMetricsAsJSON();
  registry.clear();
  const families: [string, string][] = [...Object.entries(mamiMetrics), ...defaults.map((metric): [string, string] => [metric.name, String(metric.type)])];
  const names = families.flatMap(([name, type]) => (type === "histogram" ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name]));
  return new Set([...names, ...prometheusOwnSeries]);
}
