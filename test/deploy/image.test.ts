/**
 * The Dockerfile's own steps, carried out here (test/deploy/image-emulator.ts): the build context
 * after .dockerignore, every COPY, `npm run build`, then the image's CMD with the image's ENV,
 * against the fake Groq and Telegram, checked healthy by the image's HEALTHCHECK and stopped with
 * the image's STOPSIGNAL.
 *
 * `npm ci` needs the registry and `npm rebuild` compiles sqlite3 (a minute or two): by default the
 * stages get this checkout's node_modules instead, and the production-only claim is checked on
 * what the build imports. MAMI_TEST_IMAGE_INSTALL=1 runs both for real (network, ~2 minutes).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freeTierModels, startFakeGroq, type FakeGroq } from "../fakes/fake-groq/index.js";
import { startFakeTelegram, type FakeTelegram } from "../fakes/fake-telegram/index.js";
import { repositoryFile, repositoryRoot } from "./contract.js";
import { buildContext, dockerignoreMatcher } from "./dockerignore.js";
import { execForm, parseDockerfile, stageNamed } from "./dockerfile.js";
import { healthcheckOf, runHealthcheck } from "./healthcheck.js";
import { emulateBuild, inStage, type RunPolicy, type StageState } from "./image-emulator.js";
import { containerEnvironment, freePort, launch, runToEnd, signalGroup, type Launched } from "./processes.js";

const realInstall = process.env.MAMI_TEST_IMAGE_INSTALL === "1";
const checkout = fileURLToPath(repositoryRoot);
const dockerfile = parseDockerfile(repositoryFile("Dockerfile"));
const packageJson = JSON.parse(repositoryFile("package.json")) as { dependencies: Record<string, string> };

let scratch: string;
let stages: StageState[];
const launched: Launched[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

async function runStep(command: string, args: readonly string[], stage: StageState, timeoutMs: number): Promise<void> {
  const { code, output } = await runToEnd(command, args, inStage(stage, "."), containerEnvironment(stage.environment), timeoutMs);
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} in stage ${stage.name} exited ${code}:\n${output}`);
}

/**
 * Every step a RUN of the Dockerfile may take, and what it becomes here. A step not listed fails
 * the test: a new kind of step must be decided on, not skipped unnoticed.
 */
const runPolicy: RunPolicy = async (step, stage) => {
  const [command, ...args] = step.split(/\s+/) as [string, ...string[]];
  // System packages of the base image (the compilers for sqlite3's fallback): not this machine's.
  if (command === "apt-get") return;
  if (command === "npm" && args[0] === "ci") {
    if (realInstall) return runStep(command, args, stage, 5 * 60_000);
    // Stands in for the install: the checkout's packages, already installed and built.
    return symlink(join(checkout, "node_modules"), inStage(stage, "node_modules"), "dir");
  }
  if (command === "npm" && args[0] === "rebuild") {
    if (realInstall) return runStep(command, args, stage, 5 * 60_000);
    return; // the checkout's sqlite3 and sharp are built
  }
  if (command === "npm" && args[0] === "run") return runStep(command, args, stage, 60_000);
  if (command === "mkdir") {
    for (const path of args.filter((arg) => !arg.startsWith("-"))) await mkdir(inStage(stage, path), { recursive: true });
    return;
  }
  // Ownership: the test runs as whoever runs it; the user is checked in dockerfile.test.ts.
  if (command === "chown") return;
  // Caches of the image's package managers, outside the app.
  if (command === "rm" && args.filter((arg) => !arg.startsWith("-")).every((path) => !path.startsWith("/app"))) return;
  throw new Error(`the emulated build does not know the step "${step}"; decide in test/deploy/image.test.ts what it becomes here`);
};

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "mami-image-"));
  const files = buildContext(checkout, dockerignoreMatcher(repositoryFile(".dockerignore")));
  stages = await emulateBuild(dockerfile, { root: checkout, files }, scratch, runPolicy);
}, realInstall ? 12 * 60_000 : 60_000);

afterAll(async () => {
  for (const child of launched) signalGroup(child, "SIGKILL");
  await Promise.allSettled(launched.map((child) => child.exited));
  for (const cleanup of cleanups.reverse()) await cleanup();
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
});

function image(): StageState {
  return stages.at(-1)!;
}

describe(`the image, built by carrying out the Dockerfile here${realInstall ? " (with the real npm ci)" : ""}`, () => {
  it("has the build's dist/ with CMD's entry file, package.json (ESM) and a data folder for SQLite", () => {
    const command = execForm(stageNamed(dockerfile).instructions.find((instruction) => instruction.keyword === "CMD")!.arguments)!;
    const entry = command.find((arg) => arg.endsWith(".js"))!;
    expect(existsSync(inStage(image(), entry)), entry).toBe(true);
    const stamp = JSON.parse(readFileSync(inStage(image(), "dist/build-stamp.json"), "utf8")) as { files: string[] };
    for (const file of stamp.files) expect(existsSync(inStage(image(), `dist/${file}`)), file).toBe(true);
    expect((JSON.parse(readFileSync(inStage(image(), "package.json"), "utf8")) as { type?: string }).type).toBe("module");
    expect(existsSync(inStage(image(), "data"))).toBe(true);
    // No sources in the image: only the build.
    expect(existsSync(inStage(image(), "src"))).toBe(false);
  });

  it("imports, outside its bundle, only Node's modules and production dependencies", () => {
    const dist = inStage(image(), "dist");
    const production = new Set(Object.keys(packageJson.dependencies));
    const builtins = new Set(builtinModules);
    const imported = new Set<string>();
    for (const file of readdirSync(dist).filter((name) => name.endsWith(".js"))) {
      const code = readFileSync(join(dist, file), "utf8");
      // A package name starts with a lower-case letter or @ and has no spaces: prose such as `from "[you, Mami]"` in a prompt is not an import.
      for (const match of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s*)["']([@a-z][^"'\s]*)["']/g)) imported.add(match[1]!);
    }
    expect(imported.size).toBeGreaterThan(0);
    const packageOf = (specifier: string): string => specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/");
    const stray = [...imported].filter((specifier) => !specifier.startsWith("node:") && !builtins.has(specifier) && !production.has(packageOf(specifier)));
    expect(stray, "imported by dist/ but not in package.json dependencies (npm ci --omit=dev leaves them out)").toEqual([]);
  });

  it.runIf(realInstall)("has sqlite3 and sharp built, and no dev dependency, after the real npm ci --omit=dev", async () => {
    const modules = inStage(image(), "node_modules");
    for (const dev of ["esbuild", "vitest", "typescript", "eslint"]) expect(existsSync(join(modules, dev)), dev).toBe(false);
    const probe = [
      "const sqlite3 = require('sqlite3'); const db = new sqlite3.Database(':memory:');",
      "db.get('select 1 as one', (error, row) => { if (error || row.one !== 1) process.exit(1); db.close();",
      "require('sharp')({ create: { width: 2, height: 2, channels: 3, background: '#f00' } }).png().toBuffer().then(() => process.exit(0), () => process.exit(1)); });",
    ].join(" ");
    const { code, output } = await runToEnd("node", ["-e", probe], inStage(image(), "."), containerEnvironment(image().environment), 30_000);
    expect(code, output).toBe(0);
  });

  it("runs: CMD starts Mami with the image's settings, HEALTHCHECK turns healthy, it answers, and SIGTERM stops it", async () => {
    const groqKey = "gsk_image_test_key";
    const groq: FakeGroq = await startFakeGroq({ models: freeTierModels, apiKey: groqKey });
    cleanups.push(() => groq.close());
    const telegram: FakeTelegram = await startFakeTelegram();
    cleanups.push(() => telegram.close());
    const metricsPort = await freePort();
    const environment = new Map([
      ...image().environment,
      // What `docker run -e` / compose's env_file would add:
      ["GROQ_API_KEY", groqKey],
      ["GROQ_BASE_URL", groq.url],
      ["TELEGRAM_BOT_TOKEN", telegram.token],
      ["TELEGRAM_API_ROOT", telegram.apiRoot],
      ["ROUTER_MODE", "heuristic"],
      ["SAFETY", "off"],
      // A free port instead of the image's 9464, and loopback: tests here listen on nothing else.
      ["METRICS_PORT", String(metricsPort)],
      ["METRICS_HOST", "127.0.0.1"],
    ]);
    const command = execForm(stageNamed(dockerfile).instructions.find((instruction) => instruction.keyword === "CMD")!.arguments)!;
    const cwd = inStage(image(), ".");
    const mami = launch(command[0]!, command.slice(1), cwd, containerEnvironment(environment));
    launched.push(mami);

    const check = healthcheckOf(dockerfile);
    const deadline = Date.now() + 30_000;
    let health = await runHealthcheck(check, environment, cwd);
    while (health.code !== 0 && Date.now() < deadline && mami.child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      health = await runHealthcheck(check, environment, cwd);
    }
    expect(health.code, mami.output()).toBe(0);

    const message = telegram.pushPrivateMessage({ text: "hello there, how are you?" });
    const answered = Date.now() + 20_000;
    while (!telegram.messagesIn(Number(message.chat.id)).some((sent) => sent.text.includes("Answer from")) && Date.now() < answered) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(telegram.messagesIn(Number(message.chat.id)).map((sent) => sent.text).join("\n"), mami.output()).toContain("Answer from");
    // SQLite, the default store, wrote where the image made room for it.
    expect(existsSync(inStage(image(), "data/mami.sqlite"))).toBe(true);

    const stopSignal = stageNamed(dockerfile).instructions.find((instruction) => instruction.keyword === "STOPSIGNAL")?.arguments ?? "SIGTERM";
    const stopped = Date.now();
    signalGroup(mami, stopSignal as NodeJS.Signals);
    expect(await mami.exited, mami.output()).toBe(0);
    // Within what compose.yaml gives it (stop_grace_period 20s), with room to spare.
    expect(Date.now() - stopped).toBeLessThan(15_000);
  }, 60_000);
});
