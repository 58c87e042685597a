/**
 * `.dockerignore` as BuildKit applies it: patterns in order, the last one matching a path (or any
 * folder above it) decides, `!` lets a path back in; `*` and `?` stop at `/`, `**` crosses folders.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";

interface Rule {
  readonly pattern: RegExp;
  readonly include: boolean;
}

function patternToRegExp(pattern: string): RegExp {
  let source = "";
  for (let index = 0; index < pattern.length; index += 1) {
    const character = pattern[index]!;
    if (character === "*" && pattern[index + 1] === "*") {
      // `**/` matches no folder or any number of them; a final `**` matches anything.
      if (pattern[index + 2] === "/") {
        source += "(?:.*/)?";
        index += 2;
      } else {
        source += ".*";
        index += 1;
      }
    } else if (character === "*") source += "[^/]*";
    else if (character === "?") source += "[^/]";
    else if (character === "[" || character === "\\") throw new Error(`.dockerignore: character classes and escapes are not understood here: ${pattern}`);
    else source += character.replace(/[.+^${}()|\]]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

function rules(text: string): Rule[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const include = line.startsWith("!");
      // BuildKit cleans each pattern like a path: no leading `/` or `./`, no trailing `/`.
      const cleaned = (include ? line.slice(1) : line).trim().replace(/^(?:\.?\/)+/, "").replace(/\/+$/, "");
      return { pattern: patternToRegExp(cleaned), include };
    });
}

/** A predicate telling whether a path of the build context (with `/`, from its root) is left out. */
export function dockerignoreMatcher(text: string): (path: string) => boolean {
  const parsed = rules(text);
  return (path) => {
    const parts = path.split("/");
    const candidates = parts.map((_, index) => parts.slice(0, index + 1).join("/"));
    let excluded = false;
    for (const rule of parsed) {
      if (candidates.some((candidate) => rule.pattern.test(candidate))) excluded = !rule.include;
    }
    return excluded;
  };
}

/**
 * Every file and folder of a checkout the builder would receive as context. `.git` is skipped
 * whole, and node_modules is not walked into (it is left out, and this one is a link).
 */
export function buildContext(root: string, isExcluded: (path: string) => boolean): string[] {
  const kept: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
      const path = folder === "" ? entry.name : `${folder}/${entry.name}`;
      if (path === ".git" || entry.name === "node_modules") continue;
      if (entry.isDirectory()) walk(path);
      else if (!isExcluded(path)) kept.push(path);
    }
  };
  walk("");
  return kept.sort();
}
