/** compose.yaml and the files it mounts, read as plain data for the deployment tests. */
import { load } from "js-yaml";
import { repositoryFile } from "./contract.js";

export type EnvironmentValue = string | number | boolean | null;

export interface ComposeService {
  readonly image?: string;
  readonly build?: string | { readonly context?: string };
  readonly command?: string | readonly string[];
  readonly environment?: Readonly<Record<string, EnvironmentValue>> | readonly string[];
  readonly env_file?: string | readonly (string | { readonly path: string })[];
  readonly depends_on?: readonly string[] | Readonly<Record<string, { readonly condition?: string }>>;
  readonly healthcheck?: { readonly test?: string | readonly string[]; readonly disable?: boolean };
  readonly restart?: string;
  readonly ports?: readonly (string | number | { readonly published?: string | number; readonly host_ip?: string })[];
  readonly volumes?: readonly (string | { readonly type?: string; readonly source?: string; readonly target: string })[];
  readonly profiles?: readonly string[];
  readonly stop_grace_period?: string;
}

export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes?: Readonly<Record<string, unknown>>;
}

/** compose.yaml as Compose reads it before interpolation (YAML anchors and `<<` merged). */
export function loadCompose(): unknown {
  return load(repositoryFile("compose.yaml"), { filename: "compose.yaml" });
}

/** A YAML file of the repository. */
export function loadYaml(path: string): unknown {
  return load(repositoryFile(path), { filename: path });
}

/** The service's environment as name → value, from either of Compose's two forms. */
export function environmentOf(service: ComposeService): Map<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return new Map((environment as readonly string[]).map((entry) => {
      const [name, ...value] = entry.split("=");
      return [name!, value.join("=")];
    }));
  }
  return new Map(Object.entries(environment as Record<string, EnvironmentValue>).map(([name, value]) => [name, value === null ? "" : String(value)]));
}

/** Mami's own processes: the services built from this repository. */
export function mamiServices(compose: ComposeFile): [string, ComposeService][] {
  return Object.entries(compose.services).filter(([, service]) => service.build !== undefined);
}

export function dependenciesOf(service: ComposeService): Map<string, string | undefined> {
  const dependsOn = service.depends_on ?? [];
  if (Array.isArray(dependsOn)) return new Map((dependsOn as readonly string[]).map((name) => [name, undefined]));
  return new Map(Object.entries(dependsOn as Record<string, { condition?: string }>).map(([name, { condition }]) => [name, condition]));
}

/** Bind mounts (`./host/path:/container/path[:ro]`) as host path (from the repository root) and target. */
export function bindMounts(service: ComposeService): { readonly source: string; readonly target: string }[] {
  return (service.volumes ?? []).flatMap((volume) => {
    if (typeof volume === "string") {
      const [source, target] = volume.split(":") as [string, string];
      return /^[./]/.test(source) ? [{ source: source.replace(/^\.\//, ""), target }] : [];
    }
    return volume.type === "bind" && volume.source !== undefined ? [{ source: volume.source.replace(/^\.\//, ""), target: volume.target }] : [];
  });
}

/** Compose durations: 1m30s, 20s, 500ms. */
export function composeDurationSeconds(text: string): number {
  const units: Record<string, number> = { us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(us|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join("") !== text) throw new Error(`not a duration: ${text}`);
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * units[unit!]!, 0);
}
