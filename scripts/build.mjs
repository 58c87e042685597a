#!/usr/bin/env node
// Builds dist/ so that a running or starting process never sees half a bundle.
//
//   node scripts/build.mjs              build (npm run build, and npm ci / npm install via prepare)
//   node scripts/build.mjs --if-stale   build only when dist/ is missing or older than the sources
//                                       (npm start and npm run deploy-commands, before they run)
//   --outdir DIR                        build into DIR instead of dist/
//   --no-lock                           skip the lock (tests: builds racing each other stay safe)
//
// esbuild writes into a fresh folder beside dist/ (dist.tmp-PID-RANDOM), the stamp goes in last,
// and the folder is renamed into place: a reader sees the old build or the new one, never a mix.
// Builds take a lock (dist.lock, an exclusive mkdir), so starts at the same moment build at most
// once; the others wait and find the build fresh. Chunks of the build being replaced are kept
// for one more build, so a process that loaded the old entry can still import its own chunks.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { buildState, parseJson, readStamp, repositoryRoot, sourceHash, stampFileName } from "./build-stamp.mjs";

/** Exactly the options of the former one-line esbuild command; keep the externals as they are. */
const external = ["@grammyjs/*", "@keyv/*", "discord.js", "grammy", "groq-sdk", "keyv", "pdf-parse", "pino", "prom-client", "sharp"];

/** A lock older than this is taken over even if its owner still runs (a hung build). */
const lockStaleMs = 5 * 60_000;
/** A lock folder without an owner file yet is being created; after this, it was abandoned. */
const ownerlessLockStaleMs = 10_000;

/** @param {string} message */
function say(message) {
  process.stderr.write(`mami: ${message}\n`);
}

/** @param {string} path a path as the operator would type it from here */
function shown(path) {
  const fromHere = relative(process.cwd(), path);
  return fromHere === "" || fromHere.startsWith("..") ? path : `${fromHere}/`;
}

/** @param {unknown} error @returns {string | undefined} */
function errorCode(error) {
  const code = /** @type {{ code?: unknown } | undefined} */ (error)?.code;
  return typeof code === "string" ? code : undefined;
}

function token() {
  return `${process.pid}-${randomBytes(4).toString("hex")}`;
}

/** @param {number} pid */
function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === "EPERM";
  }
}

/** @param {number} ms */
function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms));
}

/**
 * Takes the build lock (an exclusive mkdir, atomic on every file system Node runs on); waits
 * while another live build holds it, takes it over when its owner died or hung.
 * @param {string} lock
 * @returns {Promise<() => Promise<void>>} releases the lock
 */
async function acquireLock(lock) {
  const me = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  let waitingSaid = false;
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(join(lock, "owner.json"), JSON.stringify(me));
      return async () => {
        // Only our own lock: a hung build's lock may have been taken over meanwhile.
        const holder = await readFile(join(lock, "owner.json"), "utf8").catch(() => "");
        if (holder === JSON.stringify(me)) await rm(lock, { recursive: true, force: true });
      };
    } catch (error) {
      if (errorCode(error) !== "EEXIST") throw error;
    }
    const owner = await readFile(join(lock, "owner.json"), "utf8")
      .then((text) => /** @type {{ pid?: number, host?: string, since?: string }} */ (parseJson(text)))
      .catch(() => undefined);
    const age = await stat(lock).then((found) => Date.now() - found.mtimeMs, () => 0);
    const stale =
      owner === undefined
        ? age > ownerlessLockStaleMs
        : age > lockStaleMs || (owner.host === me.host && typeof owner.pid === "number" && !isRunning(owner.pid));
    if (stale) {
      // Rename first: of several takers only one moves it, and nobody deletes a lock just taken.
      const taken = `${lock}.stale-${token()}`;
      if (await rename(lock, taken).then(() => true, () => false)) await rm(taken, { recursive: true, force: true });
      continue;
    }
    if (!waitingSaid) {
      say(`waiting for the build that process ${owner?.pid ?? "?"} is running (${shown(lock)})`);
      waitingSaid = true;
    }
    await sleep(100);
  }
}

/**
 * Leftovers of builds that died between esbuild and the rename (their pid no longer runs).
 * @param {string} outdir
 */
async function removeLeftovers(outdir) {
  const parent = dirname(outdir);
  const prefix = new RegExp(`^${basename(outdir).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(?:tmp|old)-(\\d+)-[0-9a-f]+$`);
  for (const name of await readdir(parent).catch(() => [])) {
    const pid = prefix.exec(name)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !isRunning(Number(pid))) {
      await rm(join(parent, name), { recursive: true, force: true });
    }
  }
}

/**
 * Puts the finished build `fresh` at `outdir` with two renames (the old one away, the new one
 * in). If another build put its own complete build there in between (builds racing without the
 * lock), that one stays and ours is dropped: either way `outdir` ends up holding a complete build.
 * @param {string} fresh
 * @param {string} outdir
 * @returns {Promise<boolean>} whether ours is the one in place
 */
async function swapIntoPlace(fresh, outdir) {
  const old = `${outdir}.old-${token()}`;
  const movedAway = await rename(outdir, old).then(
    () => true,
    (error) => {
      if (errorCode(error) === "ENOENT") return false;
      throw error;
    },
  );
  try {
    await rename(fresh, outdir);
    return true;
  } catch (error) {
    // Another build put its complete one in place between our two renames: keep that one.
    if (readStamp(outdir) !== undefined) return false;
    // Something else went wrong: put the previous build back rather than leave none.
    if (movedAway) await rename(old, outdir).catch(() => undefined);
    throw error;
  } finally {
    if (movedAway) await rm(old, { recursive: true, force: true });
  }
}

/**
 * Copies into `fresh` the files of the build in `outdir` that the new one does not have, so a
 * process that loaded the old entry but not yet all its chunks still finds them. Only the
 * previous build's own files: carried files are not carried again.
 * @param {string} outdir
 * @param {string} fresh
 * @param {ReadonlySet<string>} built
 * @returns {Promise<string[]>}
 */
async function carryOver(outdir, fresh, built) {
  const previous = readStamp(outdir);
  const carried = [];
  for (const file of previous?.files ?? []) {
    if (built.has(file) || file.includes("/") || file.includes("\\")) continue;
    if (await copyFile(join(outdir, file), join(fresh, file)).then(() => true, () => false)) carried.push(file);
  }
  return carried;
}

/**
 * One build into a new folder beside `outdir`, swapped into place.
 * @param {string} outdir
 */
async function buildOnce(outdir) {
  const esbuild = await import("esbuild");
  await removeLeftovers(outdir);
  const hash = sourceHash(repositoryRoot);
  const fresh = `${outdir}.tmp-${token()}`;
  try {
    await esbuild.build({
      absWorkingDir: repositoryRoot,
      entryPoints: ["src/cli.ts"],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      splitting: true,
      minifyWhitespace: true,
      minifySyntax: true,
      sourcemap: true,
      outdir: fresh,
      logLevel: "warning",
      external,
    });
    const files = (await readdir(fresh)).sort();
    const carried = await carryOver(outdir, fresh, new Set(files));
    const stamp = { hash, builtAt: new Date().toISOString(), files, carried };
    await writeFile(join(fresh, stampFileName), `${JSON.stringify(stamp, null, 2)}\n`);
    await swapIntoPlace(fresh, outdir);
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
}

/** @param {readonly string[]} args */
async function main(args) {
  let outdir = join(repositoryRoot, "dist");
  let ifStale = false;
  let lock = true;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    if (arg === "--if-stale") ifStale = true;
    else if (arg === "--no-lock") lock = false;
    else if (arg === "--outdir" && args[index + 1] !== undefined) outdir = resolve(String(args[(index += 1)]));
    else if (arg?.startsWith("--outdir=") === true) outdir = resolve(arg.slice("--outdir=".length));
    else {
      say(`build: unknown argument "${String(arg)}"; usage: node scripts/build.mjs [--if-stale] [--outdir DIR] [--no-lock]`);
      return 2;
    }
  }
  if (ifStale && buildState(outdir) === "fresh") return 0;
  const release = lock ? await acquireLock(`${outdir}.lock`) : async () => undefined;
  try {
    if (ifStale) {
      // Another start may have built it while we waited for the lock.
      const state = buildState(outdir);
      if (state === "fresh") return 0;
      say(state === "missing" ? `no build in ${shown(outdir)} yet; building it` : `the sources changed since ${shown(outdir)} was built; rebuilding it`);
    }
    await buildOnce(outdir);
    return 0;
  } catch (error) {
    const printedByEsbuild = Array.isArray(/** @type {{ errors?: unknown } | undefined} */ (error)?.errors);
    if (!printedByEsbuild) say(`build: ${error instanceof Error ? error.message : String(error)}`);
    say(`the build failed; ${shown(outdir)} is unchanged`);
    return 1;
  } finally {
    await release();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
