/**
 * compose.yaml, validated against the Compose Specification's JSON schema (vendored in
 * deploy/schema/, see its README) and checked for what the scale-out issue asks: Redis shared by
 * the Mami processes, Discord shards covering every shard once, secrets only from .env, health
 * checks and restarts, and Prometheus, the Telegram ingress and Grafana pointing at the services
 * that exist. No Docker engine runs here: `docker compose config` is not available.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { knownSeries, knownSettings, repositoryFile, repositoryRoot, secretSettings } from "./contract.js";
import {
  bindMounts,
  composeDurationSeconds,
  dependenciesOf,
  environmentOf,
  loadCompose,
  loadYaml,
  mamiServices,
  type ComposeFile,
  type ComposeService,
} from "./compose-file.js";
import { environmentOf as dockerfileEnvironment, parseDockerfile, stageNamed } from "./dockerfile.js";
import { seriesNamesIn } from "./promql.js";
import { promtool, promtoolCheck } from "./promtool.js";

const composeSchema = JSON.parse(repositoryFile("deploy/schema/compose-spec.json")) as Record<string, unknown>;
// The vendored schema names its meta-schema by the https address, which ajv 6 does not know by
// that name; it is the same draft-07 that ajv 6 has built in.
const validateCompose = new Ajv({ allErrors: true }).compile({ ...composeSchema, $schema: "http://json-schema.org/draft-07/schema#" });

const raw = loadCompose();
const compose = raw as ComposeFile;
const mami = mamiServices(compose);
const imageEnvironment = new Map(
  stageNamed(parseDockerfile(repositoryFile("Dockerfile")))
    .instructions.filter((instruction) => instruction.keyword === "ENV")
    .flatMap((instruction) => [...dockerfileEnvironment(instruction)]),
);

/** A setting as the process sees it: compose's environment, else the image's ENV. */
function setting(service: ComposeService, name: string): string | undefined {
  return environmentOf(service).get(name) ?? imageEnvironment.get(name);
}

function service(name: string): ComposeService {
  const found = compose.services[name];
  if (found === undefined) throw new Error(`compose.yaml has no service ${name}`);
  return found;
}

function schemaErrors(document: unknown): string[] {
  return validateCompose(document) ? [] : (validateCompose.errors ?? []).map((error) => `${error.dataPath || "(root)"} ${error.message ?? ""}`);
}

describe("compose.yaml", () => {
  it("is valid under the Compose Specification schema", () => {
    expect(schemaErrors(raw)).toEqual([]);
  });

  it("is checked by a validator that does reject what the specification forbids", () => {
    const broken = structuredClone(raw) as { services: Record<string, Record<string, unknown>> };
    broken.services.redis!.restart = 5;
    broken.services.redis!.helthcheck = { test: ["CMD", "true"] };
    broken.services["mami-shard-0"]!.depends_on = { redis: { condition: "service_happy" } };
    const errors = schemaErrors(broken).join("\n");
    expect(errors).toMatch(/restart/);
    expect(errors).toMatch(/additional properties/);
    expect(errors).toMatch(/condition|allowed values/);
  });

  it("runs two or more Discord shards that together cover every shard exactly once", () => {
    const shards = mami.filter(([, candidate]) => setting(candidate, "DISCORD_SHARD_IDS") !== undefined);
    expect(shards.length).toBeGreaterThanOrEqual(2);
    const counts = new Set(shards.map(([, shard]) => setting(shard, "DISCORD_SHARD_COUNT")));
    expect(counts.size, "every shard process agrees on DISCORD_SHARD_COUNT").toBe(1);
    const count = Number([...counts][0]);
    const ids = shards.flatMap(([, shard]) => setting(shard, "DISCORD_SHARD_IDS")!.split(",").map((id) => Number(id.trim())));
    expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, id) => id));
    // Default services: `docker compose up` starts the shards without a profile.
    for (const [, shard] of shards) expect(shard.profiles).toBeUndefined();
  });

  it("gives every Mami process the same Redis, which it waits for until Redis answers", () => {
    expect(mami.length).toBeGreaterThanOrEqual(2);
    const storeUrls = new Set(mami.map(([, process]) => setting(process, "STORE_URL")));
    expect(storeUrls.size).toBe(1);
    const url = new URL([...storeUrls][0]!);
    expect(url.protocol).toBe("redis:");
    const redis = service(url.hostname);
    expect(redis.image).toMatch(/^(redis|valkey\/valkey):/);
    expect(url.port === "" ? "6379" : url.port).toBe("6379");
    expect(redis.healthcheck?.test).toBeDefined();
    for (const [name, process] of mami) expect(dependenciesOf(process).get(url.hostname), name).toBe("service_healthy");
  });

  it("serves every Mami process's /metrics to the other containers", () => {
    for (const [name, process] of mami) {
      expect(setting(process, "METRICS_HOST"), name).toBe("0.0.0.0");
      expect(setting(process, "METRICS_PORT"), name).toMatch(/^\d+$/);
    }
  });

  it("takes secrets from .env only, and gives each bot token to one kind of process", () => {
    for (const [name, process] of mami) {
      expect(process.env_file, name).toEqual(".env");
      const environment = environmentOf(process);
      // A secret may only be blanked here (to keep it from a process), never given a value.
      for (const secret of secretSettings) expect(environment.get(secret) ?? "", `${name} ${secret}`).toBe("");
      const polls = ["DISCORD_BOT_TOKEN", "TELEGRAM_BOT_TOKEN"].filter((token) => environment.get(token) !== "");
      expect(polls, `${name} leaves one of the bot tokens to the other processes`).toHaveLength(1);
    }
    // Interpolated values (${...}) come from .env too; none may be a secret's.
    const text = repositoryFile("compose.yaml");
    for (const secret of secretSettings) expect(text).not.toMatch(new RegExp(`\\$\\{${secret}`));
  });

  it("sets only settings Mami reads", () => {
    const known = knownSettings();
    for (const [name, process] of mami) {
      for (const variable of environmentOf(process).keys()) expect(known.has(variable), `${name}: ${variable}`).toBe(true);
    }
  });

  it("restarts every service, and waits only on health checks that exist", () => {
    for (const [name, candidate] of Object.entries(compose.services)) {
      expect(candidate.restart, name).toMatch(/^(always|unless-stopped|on-failure(:\d+)?)$/);
      for (const [dependency, condition] of dependenciesOf(candidate)) {
        expect(compose.services[dependency], `${name} depends on ${dependency}`).toBeDefined();
        expect(condition, `${name} → ${dependency}: a condition`).toMatch(/^service_(healthy|started|completed_successfully)$/);
        if (condition === "service_healthy") {
          const target = service(dependency);
          // Mami's own image has a HEALTHCHECK (dockerfile.test.ts); others need one here.
          expect(target.build !== undefined || target.healthcheck?.test !== undefined, `${dependency} has a health check`).toBe(true);
        }
      }
    }
    for (const [name, process] of mami) expect(process.healthcheck?.disable, name).not.toBe(true);
  });

  it("gives each Mami process longer to stop than its SHUTDOWN_GRACE_SECONDS", () => {
    for (const [name, process] of mami) {
      const grace = Number(setting(process, "SHUTDOWN_GRACE_SECONDS") ?? "10");
      // Docker's default is 10 s, the same as Mami's default grace: too tight.
      expect(composeDurationSeconds(process.stop_grace_period ?? "10s"), name).toBeGreaterThan(grace);
    }
  });

  it("publishes ports on loopback only, except the Telegram webhook ingress", () => {
    for (const [name, candidate] of Object.entries(compose.services)) {
      for (const port of candidate.ports ?? []) {
        const hostIp = typeof port === "object" ? port.host_ip : String(port).split(":").length === 3 ? String(port).split(":")[0] : undefined;
        if (name === "telegram-ingress") continue; // Telegram must reach it (through your TLS terminator)
        expect(hostIp, `${name} publishes ${JSON.stringify(port)}`).toBe("127.0.0.1");
      }
    }
    for (const [name, process] of mami) expect(process.ports, name).toBeUndefined();
  });

  it("pins every image it pulls to a version", () => {
    for (const [name, candidate] of Object.entries(compose.services)) {
      if (candidate.build !== undefined) continue;
      expect(candidate.image, name).toMatch(/^[\w./-]+:(?!latest$)[\w.-]+$/);
    }
  });

  it("mounts files that exist in the repository, and named volumes it declares", () => {
    for (const [name, candidate] of Object.entries(compose.services)) {
      for (const mount of bindMounts(candidate)) expect(existsSync(new URL(mount.source, repositoryRoot)), `${name}: ${mount.source}`).toBe(true);
      for (const volume of candidate.volumes ?? []) {
        const source = typeof volume === "string" ? volume.split(":")[0]! : volume.source ?? "";
        if (!/^[./]/.test(source) && source !== "") expect(compose.volumes?.[source], `${name}: volume ${source}`).toBeDefined();
      }
    }
  });

  it("keeps .env, where the secrets are, out of git", () => {
    expect(repositoryFile(".gitignore").split(/\r?\n/)).toContain(".env");
    const checkout = fileURLToPath(repositoryRoot);
    // Outside a git checkout (an unpacked release) there is nothing tracked to check.
    if (!existsSync(`${checkout}.git`)) return;
    const tracked = execFileSync("git", ["ls-files", "--", ".env", "**/.env"], { cwd: checkout, encoding: "utf8" });
    expect(tracked).toBe("");
  });
});

interface PrometheusConfig {
  readonly rule_files?: readonly string[];
  readonly scrape_configs: readonly {
    readonly job_name: string;
    readonly metrics_path?: string;
    readonly static_configs: readonly { readonly targets: readonly string[] }[];
  }[];
}

describe("deploy/prometheus", () => {
  const prometheus = service("prometheus");
  const mounts = bindMounts(prometheus);
  const config = loadYaml("deploy/prometheus/prometheus.yml") as PrometheusConfig;

  it("is the configuration compose mounts into Prometheus", () => {
    expect(mounts).toContainEqual({ source: "deploy/prometheus/prometheus.yml", target: "/etc/prometheus/prometheus.yml" });
    const command = Array.isArray(prometheus.command) ? prometheus.command : [];
    expect(command).toContain("--config.file=/etc/prometheus/prometheus.yml");
  });

  it("scrapes every Mami process once, by service name at its METRICS_PORT, and nothing else", () => {
    const targets = config.scrape_configs.flatMap((job) => {
      expect(job.metrics_path ?? "/metrics").toBe("/metrics");
      return job.static_configs.flatMap((group) => group.targets);
    });
    const expected = mami.map(([name, process]) => `${name}:${setting(process, "METRICS_PORT")}`);
    expect([...targets].sort()).toEqual([...expected].sort());
  });

  it("loads the alert rules compose mounts, and they read only known series", async () => {
    const targets = new Map(mounts.map((mount) => [mount.target, mount.source]));
    const known = await knownSeries();
    for (const ruleFile of config.rule_files ?? []) {
      const source = targets.get(ruleFile);
      expect(source, `${ruleFile} is mounted`).toBeDefined();
      const rules = loadYaml(source!) as { groups: { rules: { expr: string }[] }[] };
      for (const rule of rules.groups.flatMap((group) => group.rules)) {
        for (const name of seriesNamesIn(rule.expr)) expect(known.has(name), `${name} in ${rule.expr}`).toBe(true);
      }
    }
  });

  it.skipIf(promtool === undefined)("is accepted by promtool, rules and all", async () => {
    const text = repositoryFile("deploy/prometheus/prometheus.yml");
    const files: Record<string, string> = {};
    let local = text;
    for (const mount of mounts.filter((candidate) => candidate.source !== "deploy/prometheus/prometheus.yml")) {
      const name = mount.source.split("/").at(-1)!;
      files[name] = repositoryFile(mount.source);
      local = local.replaceAll(mount.target, name);
    }
    files["prometheus.yml"] = local;
    const result = await promtoolCheck("config", files, "prometheus.yml");
    expect(result.status, result.output).toBe(0);
  });
});

describe("deploy/nginx (the Telegram webhook ingress)", () => {
  const ingress = service("telegram-ingress");
  const workers = mami.filter(([, process]) => (process.profiles ?? []).includes("telegram"));

  it("sends updates to every Telegram worker at its TELEGRAM_WEBHOOK_PORT, and to nothing else", () => {
    const mount = bindMounts(ingress).find((candidate) => candidate.target.startsWith("/etc/nginx/"));
    expect(mount).toBeDefined();
    const conf = repositoryFile(mount!.source);
    const upstreams = [...conf.matchAll(/^\s*server\s+([\w.-]+:\d+)/gm)].map((match) => match[1]!);
    const expected = workers.map(([name, process]) => `${name}:${setting(process, "TELEGRAM_WEBHOOK_PORT") ?? "8443"}`);
    expect(workers.length).toBeGreaterThanOrEqual(2);
    expect(upstreams.sort()).toEqual(expected.sort());
    // It listens where compose publishes it.
    const listen = /^\s*listen\s+(\d+)/m.exec(conf)?.[1];
    const containerPorts = (ingress.ports ?? []).map((port) => (typeof port === "object" ? undefined : String(port).split(":").at(-1)));
    expect(containerPorts).toContain(listen);
    expect(ingress.profiles).toEqual(["telegram"]);
  });

  it("runs the workers in webhook mode, in the same profile", () => {
    for (const [name, worker] of workers) {
      expect(worker.profiles, name).toEqual(["telegram"]);
      expect(environmentOf(worker).get("DISCORD_BOT_TOKEN"), name).toBe("");
      // TELEGRAM_WEBHOOK_URL and _SECRET come from .env, shared by both workers.
      expect(environmentOf(worker).has("TELEGRAM_WEBHOOK_URL"), name).toBe(false);
      expect(environmentOf(worker).has("TELEGRAM_WEBHOOK_SECRET"), name).toBe(false);
    }
  });
});

describe("deploy/grafana provisioning", () => {
  const grafana = service("grafana");
  const mounts = bindMounts(grafana);

  it("reads compose's Prometheus", () => {
    expect(mounts).toContainEqual({ source: "deploy/grafana/provisioning", target: "/etc/grafana/provisioning" });
    const { datasources } = loadYaml("deploy/grafana/provisioning/datasources/prometheus.yaml") as { datasources: { type: string; url: string; uid: string }[] };
    const url = new URL(datasources[0]!.url);
    expect(datasources[0]!.type).toBe("prometheus");
    expect(compose.services[url.hostname]?.image).toMatch(/^prom\/prometheus:/);
    expect(url.port).toBe("9090");
  });

  it("loads the dashboard from where compose mounts it", () => {
    const { providers } = loadYaml("deploy/grafana/provisioning/dashboards/mami.yaml") as { providers: { options: { path: string } }[] };
    const dashboard = mounts.find((mount) => mount.source === "deploy/grafana/mami-dashboard.json");
    expect(dashboard).toBeDefined();
    expect(dashboard!.target.startsWith(`${providers[0]!.options.path}/`)).toBe(true);
    expect(environmentOf(grafana).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")).toBe(dashboard!.target);
  });
});
