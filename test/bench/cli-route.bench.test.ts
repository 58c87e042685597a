/**
 * `npm run bench`: what `mami route` costs beyond Node's own start-up, on the built CLI (the
 * bundle `npm run build` makes, which is what `npx mami` runs).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));
const runs = 25;

function medianRunMs(args: readonly string[]): number {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const startedAt = performance.now();
    const result = spawnSync(process.execPath, args, { cwd: repositoryRoot, env: { PATH: process.env.PATH ?? "", ROUTER_MODE: "heuristic" }, encoding: "utf8" });
    times.push(performance.now() - startedAt);
    expect(result.status).toBe(0);
  }
  times.sort((first, second) => first - second);
  return times[Math.floor(runs / 2)] ?? Number.NaN;
}

it("measures mami route against an empty node process", () => {
  execFileSync("npm", ["run", "build"], { cwd: repositoryRoot, stdio: "ignore" });
  const empty = medianRunMs(["-e", ""]);
  const route = medianRunMs(["dist/cli.js", "route", "why does my python script throw KeyError: 'name'?"]);
  process.stdout.write(
    `\n[bench] mami route: ${route.toFixed(1)} ms; node -e "": ${empty.toFixed(1)} ms; mami's own time ${(route - empty).toFixed(1)} ms (medians of ${runs})\n`,
  );
});
