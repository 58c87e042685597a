/**
 * Issue 14: several `npm start` from one checkout at the same moment. The build happens once
 * (at install, `npm run build`, or by the first start that finds it missing or stale, under a
 * lock) and is renamed into place whole, so no process ever loads half a bundle. Runs in a copy
 * of the checkout (sources, scripts, package files; node_modules linked) so that it neither
 * depends on nor rewrites the real dist/.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { appendFile, cp, mkdtemp, readdir, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freeTierModels, startFakeGroq, type FakeGroq } from "../fakes/fake-groq/index.js";
import { startFakeTelegram, type FakeTelegram } from "../fakes/fake-telegram/index.js";
import { eventually } from "../support/eventually.js";

const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));
const groqKey = "gsk_concurrent_start_key";
let checkout: string;
const running: Run[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

interface Run {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  stdout: string;
  stderr: string;
}

/** A process in the copy, in a process group of its own so that npm and its children stop together. */
function launch(command: string, args: readonly string[], env: Record<string, string> = {}): Run {
  const child = spawn(command, args, {
    cwd: checkout,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir(), npm_config_update_notifier: "false", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const run: Run = {
    child,
    exited: new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code) => resolve(code));
    }),
    stdout: "",
    stderr: "",
  };
  child.stdout?.on("data", (chunk: Buffer) => (run.stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (run.stderr += chunk.toString()));
  running.push(run);
  return run;
}

function signalGroup(run: Run, signal: NodeJS.Signals): void {
  if (run.child.pid === undefined || run.child.exitCode !== null || run.child.signalCode !== null) return;
  try {
    process.kill(-run.child.pid, signal);
  } catch {
    // already gone
  }
}


function occurrences(runs: readonly Run[], text: string): number {
  return runs.filter((run) => run.stderr.includes(text)).length;
}

interface Stamp {
  readonly hash: string;
  readonly builtAt: string;
  readonly files: readonly string[];
}

function readStamp(): Stamp | undefined {
  try {
    return JSON.parse(readFileSync(join(checkout, "dist", "build-stamp.json"), "utf8")) as Stamp;
  } catch {
    return undefined;
  }
}

/**
 * Samples dist/ every few milliseconds while builds run: whenever it holds a stamp, every file
 * the stamp lists must be there (a sample taken across a swap, when the stamp changed or went
 * away meanwhile, proves nothing and is skipped).
 */
function watchDist(): { stop(): { samples: number; incomplete: string[] } } {
  let samples = 0;
  const incomplete: string[] = [];
  const timer = setInterval(() => {
    const stamp = readStamp();
    if (stamp === undefined) return;
    const missing = stamp.files.filter((file) => !existsSync(join(checkout, "dist", file)));
    if (readStamp()?.builtAt !== stamp.builtAt) return;
    samples += 1;
    if (missing.length > 0) incomplete.push(`${stamp.builtAt}: ${missing.join(", ")}`);
  }, 3);
  return {
    stop() {
      clearInterval(timer);
      return { samples, incomplete };
    },
  };
}

/** dist/ is one whole build of the current sources: no leftovers, and every chunk and the entry load. */
async function expectCompleteBuild(): Promise<void> {
  const leftovers = (await readdir(checkout)).filter((name) => name.startsWith("dist."));
  expect(leftovers).toEqual([]);
  const stamp = readStamp();
  expect(stamp).toBeDefined();
  for (const file of stamp!.files) expect(existsSync(join(checkout, "dist", file)), file).toBe(true);

  const check = launch(process.execPath, ["scripts/build.mjs", "--if-stale"]);
  expect(await check.exited).toBe(0);
  expect(check.stderr).toBe(""); // fresh: nothing to build

  const chunks = stamp!.files.filter((file) => file.endsWith(".js") && file !== "cli.js").map((file) => `./dist/${file}`);
  const imports = launch(process.execPath, ["--input-type=module", "--eval", "for (const file of process.argv.slice(1)) await import(file);", ...chunks]);
  expect(await imports.exited, imports.stderr).toBe(0);
  const route = launch(process.execPath, ["dist/cli.js", "route", "why does my python script throw KeyError?"], { ROUTER_MODE: "heuristic" });
  expect(await route.exited, route.stderr).toBe(0);
  expect((JSON.parse(route.stdout) as { role: string }).role).toBe("code");
}

beforeAll(async () => {
  checkout = await mkdtemp(join(tmpdir(), "mami-checkout-"));
  for (const entry of ["src", "commands", "scripts", "package.json", "package-lock.json", "tsconfig.json"]) {
    await cp(join(repositoryRoot, entry), join(checkout, entry), { recursive: true });
  }
  await symlink(join(repositoryRoot, "node_modules"), join(checkout, "node_modules"), "dir");
});

afterAll(async () => {
  for (const run of running) signalGroup(run, "SIGKILL");
  await Promise.allSettled(running.map((run) => run.exited));
  for (const cleanup of cleanups.reverse()) await cleanup();
  await rm(checkout, { recursive: true, force: true });
});

describe("several processes from one checkout", () => {
  it("three npm start at the same moment on a missing build: built once, all three connect and answer", async () => {
    const groq: FakeGroq = await startFakeGroq({ models: freeTierModels, apiKey: groqKey });
    cleanups.push(() => groq.close());
    // One bot per process, as Telegram allows one getUpdates consumer per bot.
    const bots: FakeTelegram[] = await Promise.all(
      [1, 2, 3].map((n) => startFakeTelegram({ token: `${n}0000000${n}:AAFakeTelegramTokenForTests_${n}0123456789` })),
    );
    for (const bot of bots) cleanups.push(() => bot.close());

    const starts = bots.map((bot, index) =>
      launch("npm", ["start"], {
        GROQ_API_KEY: groqKey,
        GROQ_BASE_URL: groq.url,
        TELEGRAM_BOT_TOKEN: bot.token,
        TELEGRAM_API_ROOT: bot.apiRoot,
        STORE_URL: `sqlite://${join(checkout, `mami-${index}.sqlite`)}`,
        ROUTER_MODE: "heuristic",
        SAFETY: "off",
      }),
    );

    await Promise.all(bots.map((bot) => bot.waitForCall("getUpdates", () => true, 45_000)));
    await Promise.all(
      bots.map(async (bot) => {
        const message = bot.pushPrivateMessage({ text: "hello there, how are you?" });
        await eventually(() => bot.messagesIn(Number(message.chat.id)).find((sent) => sent.text.includes("Answer from")), "every process to answer", 20_000);
      }),
    );

    for (const start of starts) {
      expect(start.stdout).toContain("Telegram bot running");
      expect(start.stderr).not.toMatch(/is not a function|Cannot find module|ERR_MODULE_NOT_FOUND/);
    }
    expect(occurrences(starts, "building it")).toBe(1);

    for (const start of starts) signalGroup(start, "SIGTERM");
    await Promise.all(starts.map((start) => start.exited));
    await expectCompleteBuild();
  }, 60_000);

  it("three builds at the same moment, with the lock or racing without it, leave a complete dist", async () => {
    for (const flags of [[], ["--no-lock"]]) {
      const watcher = watchDist();
      const builds = [1, 2, 3].map(() => launch(process.execPath, ["scripts/build.mjs", ...flags]));
      const codes = await Promise.all(builds.map((build) => build.exited));
      const { samples, incomplete } = watcher.stop();
      expect(codes, builds.map((build) => build.stderr).join("\n")).toEqual([0, 0, 0]);
      expect(samples).toBeGreaterThan(0);
      expect(incomplete).toEqual([]);
      await expectCompleteBuild();
    }
  }, 60_000);

  it("a start on a stale build says so; three starts' checks at once rebuild it once", async () => {
    await appendFile(join(checkout, "src", "cli.ts"), "\n// changed after the build\n");

    const stale = launch(process.execPath, ["dist/cli.js", "start"]);
    expect(await stale.exited).toBe(2); // no settings: it stops at the configuration, after the warning
    expect(stale.stderr).toMatch(/^mami: warning: the sources changed since dist\/ was built.*npm run build/m);

    const checks = [1, 2, 3].map(() => launch(process.execPath, ["scripts/build.mjs", "--if-stale"]));
    expect(await Promise.all(checks.map((check) => check.exited))).toEqual([0, 0, 0]);
    expect(occurrences(checks, "the sources changed since dist/ was built; rebuilding it")).toBe(1);
    await expectCompleteBuild();

    const fresh = launch(process.execPath, ["dist/cli.js", "start"]);
    expect(await fresh.exited).toBe(2);
    expect(fresh.stderr).not.toContain("warning");
  }, 60_000);
});
