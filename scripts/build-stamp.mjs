// Which sources a build came from, so that a start can tell a current build from a stale one
// without rebuilding. No dependencies: `mami start` reads it from a checkout (src/cli.ts).
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The checkout this script belongs to. */
export const repositoryRoot = fileURLToPath(new URL("../", import.meta.url));

/** Written last into a finished build, so a build folder with a stamp is a complete one. */
export const stampFileName = "build-stamp.json";

/** What a build is made from: change any of these and the build is stale. */
const sourceFolders = ["src", "commands"];
const sourceFiles = ["package.json", "package-lock.json", "scripts/build.mjs", "scripts/build-stamp.mjs"];

/** @param {string} root @param {string} folder @returns {string[]} paths from root, with "/" */
function filesUnder(root, folder) {
  let entries;
  try {
    entries = readdirSync(join(root, folder), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return filesUnder(root, path);
    return entry.isFile() ? [path] : [];
  });
}

/**
 * A SHA-256 over the path and content of every source file, in a fixed order.
 * @param {string} [root]
 * @returns {string}
 */
export function sourceHash(root = repositoryRoot) {
  const files = [...sourceFolders.flatMap((folder) => filesUnder(root, folder)), ...sourceFiles].sort();
  const hash = createHash("sha256");
  for (const file of files) {
    let content;
    try {
      content = readFileSync(join(root, file));
    } catch {
      continue; // absent (package-lock.json) or deleted while we read: not part of the build
    }
    hash.update(`${file}\0${content.length}\0`);
    hash.update(content);
  }
  return hash.digest("hex");
}

/**
 * JSON.parse, typed so that what it found must be checked before use.
 * @param {string} text
 * @returns {unknown}
 */
export function parseJson(text) {
  return JSON.parse(text);
}

/**
 * @typedef {{ readonly hash: string, readonly builtAt: string, readonly files: readonly string[], readonly carried: readonly string[] }} BuildStamp
 */

/**
 * The stamp of the build in `outdir`, or undefined when there is none (no build, or not one of ours).
 * @param {string} outdir
 * @returns {BuildStamp | undefined}
 */
export function readStamp(outdir) {
  try {
    const stamp = /** @type {Partial<BuildStamp>} */ (parseJson(readFileSync(join(outdir, stampFileName), "utf8")));
    if (typeof stamp.hash !== "string" || !Array.isArray(stamp.files)) return undefined;
    return { hash: stamp.hash, builtAt: String(stamp.builtAt), files: stamp.files, carried: Array.isArray(stamp.carried) ? stamp.carried : [] };
  } catch {
    return undefined;
  }
}

/**
 * "fresh": `outdir` holds a complete build of the current sources; "missing": no complete build;
 * "stale": a complete build of other sources.
 * @param {string} outdir
 * @param {string} [root]
 * @returns {"fresh" | "missing" | "stale"}
 */
export function buildState(outdir, root = repositoryRoot) {
  const stamp = readStamp(outdir);
  if (stamp === undefined) return "missing";
  return stamp.hash === sourceHash(root) ? "fresh" : "stale";
}
