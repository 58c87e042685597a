/**
 * The Dockerfile and .dockerignore, read as BuildKit reads them, and the image's HEALTHCHECK run
 * here against small /healthz servers. No Docker engine runs on these machines, so the image is
 * never built here; test/deploy/image.test.ts carries out its steps instead.
 */
import { createServer, type Server } from "node:http";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { repositoryFile, repositoryRoot, secretSettings } from "./contract.js";
import { buildContext, dockerignoreMatcher } from "./dockerignore.js";
import { environmentOf, execForm, parseDockerfile, shellSteps, stageNamed, type Instruction, type Stage } from "./dockerfile.js";
import { healthcheckOf, runHealthcheck } from "./healthcheck.js";
import { freePort } from "./processes.js";

const dockerfile = parseDockerfile(repositoryFile("Dockerfile"));
const image = stageNamed(dockerfile);
const isExcluded = dockerignoreMatcher(repositoryFile(".dockerignore"));

function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword);
}

/** Every command the stage's RUN instructions run, in order. */
function runSteps(stage: Stage): string[] {
  return instructionsOf(stage, "RUN").flatMap(shellSteps);
}

describe("Dockerfile", () => {
  it("builds in a stage of its own: npm ci without install scripts, the sources, npm run build", () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
    const build = stageNamed(dockerfile, "build");
    const steps = runSteps(build);
    const install = steps.findIndex((step) => /^npm ci\b/.test(step));
    const compile = steps.indexOf("npm run build");
    expect(install).toBeGreaterThanOrEqual(0);
    // `prepare` would build before the sources are copied: the install must skip scripts.
    expect(steps[install]).toContain("--ignore-scripts");
    expect(compile).toBeGreaterThan(install);
    // The image takes the build's output, not a build of its own.
    const copied = instructionsOf(image, "COPY").filter((instruction) => instruction.flags.get("from") === "build");
    expect(copied.map((instruction) => instruction.arguments)).toContain("/app/dist ./dist");
  });

  it("installs production packages only in the image, with sqlite3 and sharp built", () => {
    const steps = runSteps(image);
    const install = steps.find((step) => /^npm ci\b/.test(step));
    expect(install).toBeDefined();
    expect(install).toContain("--omit=dev");
    // --ignore-scripts keeps `prepare` (the build, which needs dev packages) from running ...
    expect(install).toContain("--ignore-scripts");
    // ... so the native modules must get their install scripts afterwards.
    const rebuild = steps.find((step) => /^npm rebuild\b/.test(step));
    expect(rebuild?.split(/\s+/)).toEqual(expect.arrayContaining(["sqlite3", "sharp"]));
    expect(steps.indexOf(rebuild!)).toBeGreaterThan(steps.indexOf(install!));
    // A compiler installed for sqlite3's fallback leaves in the same layer it came in.
    for (const instruction of instructionsOf(image, "RUN")) {
      const layer = shellSteps(instruction);
      const install = layer.find((step) => step.startsWith("apt-get install"));
      if (install === undefined) continue;
      const packages = install.split(/\s+/).slice(2).filter((word) => !word.startsWith("-"));
      const purged = layer.find((step) => step.startsWith("apt-get purge"))?.split(/\s+/) ?? [];
      for (const name of packages) expect(purged, `${name} is removed in the layer that installed it`).toContain(name);
    }
  });

  it("every stage starts from the same Node 20 base, so native modules built in one run in the other", () => {
    const bases = new Set(dockerfile.stages.map((stage) => stage.base));
    expect(bases.size).toBe(1);
    const base = [...bases][0]!;
    const resolved = base.replace(/^\$\{?(\w+)\}?$/, (_, name: string) => dockerfile.globalArgs.get(name) ?? base);
    expect(resolved).toMatch(/^node:20[.\w-]*-(?:slim|alpine)/);
  });

  it("runs as a non-root user from before CMD on", () => {
    const instructions = image.instructions;
    const cmd = instructions.findIndex((instruction) => instruction.keyword === "CMD");
    const users = instructions.map((instruction, index) => ({ instruction, index })).filter(({ instruction }) => instruction.keyword === "USER");
    const last = users.at(-1);
    expect(last, "a USER instruction in the image stage").toBeDefined();
    expect(last!.index).toBeLessThan(cmd);
    const [user, group] = last!.instruction.arguments.split(":");
    expect(["root", "0"]).not.toContain(user);
    expect(["root", "0"]).not.toContain(group ?? "");
  });

  it("starts Mami with CMD node --enable-source-maps dist/cli.js start, and no ENTRYPOINT to wrap it", () => {
    const cmds = instructionsOf(image, "CMD");
    expect(cmds).toHaveLength(1);
    expect(execForm(cmds[0]!.arguments)).toEqual(["node", "--enable-source-maps", "dist/cli.js", "start"]);
    expect(instructionsOf(image, "ENTRYPOINT")).toEqual([]);
  });

  it("exposes the metrics port that it health-checks and sets, and the Telegram webhook port", () => {
    const environment = new Map(instructionsOf(image, "ENV").flatMap((instruction) => [...environmentOf(instruction)]));
    expect(environment.get("METRICS_HOST")).toBe("0.0.0.0");
    const metricsPort = environment.get("METRICS_PORT");
    expect(metricsPort).toMatch(/^\d+$/);
    const exposed = instructionsOf(image, "EXPOSE").flatMap((instruction) => instruction.arguments.split(/\s+/));
    expect(exposed).toEqual(expect.arrayContaining([metricsPort, "8443"]));
    const check = healthcheckOf(dockerfile);
    expect(check.command.join(" ")).toContain("/healthz");
    expect(check.command.join(" ")).toContain("process.env.METRICS_PORT");
    // The check's command must exist in the image: node does, curl and wget do not in slim images.
    expect(check.command[0]).toBe("node");
  });

  it("bakes no secret into the image", () => {
    const secretName = /TOKEN|SECRET|PASSWORD|API_KEY|PRIVATE/i;
    for (const stage of dockerfile.stages) {
      for (const instruction of instructionsOf(stage, "ENV")) {
        for (const name of environmentOf(instruction).keys()) expect(name, `ENV ${name} (line ${instruction.line})`).not.toMatch(secretName);
      }
      for (const instruction of instructionsOf(stage, "ARG")) expect(instruction.arguments, `ARG on line ${instruction.line}`).not.toMatch(secretName);
      for (const instruction of instructionsOf(stage, "COPY")) expect(instruction.arguments).not.toMatch(/\.env\b/);
    }
    for (const [name] of dockerfile.globalArgs) expect(name).not.toMatch(secretName);
    expect(secretSettings.every((name) => !repositoryFile("Dockerfile").includes(`${name}=`))).toBe(true);
  });
});

describe(".dockerignore", () => {
  it("leaves out .env files, node_modules, data/ and SQLite files, wherever they are", () => {
    for (const path of [".env", ".env.production", "src/.env", "node_modules/sharp/package.json", "data/mami.sqlite", "data", "mami.sqlite", "src/x.sqlite-wal", "dist/cli.js", ".git/config", ".ci/work/vitest.json"]) {
      expect(isExcluded(path), path).toBe(true);
    }
  });

  it("sends exactly what the Dockerfile copies from the context", () => {
    const root = fileURLToPath(repositoryRoot);
    const context = buildContext(root, isExcluded);
    const topLevel = new Set(context.map((path) => path.split("/")[0]));
    const copied = new Set(
      dockerfile.stages.flatMap((stage) =>
        instructionsOf(stage, "COPY")
          .filter((instruction) => !instruction.flags.has("from"))
          .flatMap((instruction) => instruction.arguments.split(/\s+/).slice(0, -1)),
      ),
    );
    expect([...topLevel].sort()).toEqual([...copied].sort());
    expect(context.some((path) => path.startsWith("src/"))).toBe(true);
    expect(context).not.toContain(".env.example");
  });
});

describe("HEALTHCHECK, run here as Docker runs it", () => {
  const check = healthcheckOf(dockerfile);
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
  });

  /** A /healthz that answers with `status`, or never answers when `status` is undefined. */
  async function healthz(status: number | undefined): Promise<number> {
    server = createServer((request, response) => {
      if (status === undefined) return; // hangs
      response.writeHead(request.url === "/healthz" ? status : 404).end();
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return (server.address() as { port: number }).port;
  }

  const cwd = fileURLToPath(repositoryRoot);

  it("passes on 200 from /healthz at METRICS_PORT", async () => {
    const port = await healthz(200);
    expect((await runHealthcheck(check, new Map([["METRICS_PORT", String(port)]]), cwd)).code).toBe(0);
  });

  it("fails on 503 (an adapter not connected, or the store not answering)", async () => {
    const port = await healthz(503);
    expect((await runHealthcheck(check, new Map([["METRICS_PORT", String(port)]]), cwd)).code).toBe(1);
  });

  it("fails when nothing listens", async () => {
    const port = await freePort();
    expect((await runHealthcheck(check, new Map([["METRICS_PORT", String(port)]]), cwd)).code).toBe(1);
  });

  it("fails by itself, before Docker's --timeout kills it, when /healthz never answers", async () => {
    const port = await healthz(undefined);
    const { code, ms } = await runHealthcheck(check, new Map([["METRICS_PORT", String(port)]]), cwd);
    expect(code).toBe(1);
    expect(ms).toBeLessThan(check.timeoutMs);
  });
});
