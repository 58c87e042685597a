/**
 * Prometheus's own checker, where this machine has it: `promtool` on the PATH or MAMI_PROMTOOL
 * (Debian's `prometheus` package ships it; `apt-get download prometheus && dpkg-deb -x` gives the
 * binary without installing a service). Without it, these checks are skipped with a note.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

function findPromtool(): string | undefined {
  const candidate = process.env.MAMI_PROMTOOL ?? "promtool";
  const probe = spawnSync(candidate, ["--version"], { encoding: "utf8" });
  return probe.status === 0 ? candidate : undefined;
}

export const promtool = findPromtool();
export const promtoolNote = "promtool not found (set MAMI_PROMTOOL or put it on the PATH; Debian's prometheus package has it)";

/** Runs `promtool check <what>` on files written to a fresh folder; returns its exit code and output. */
export async function promtoolCheck(what: "config" | "rules", files: Readonly<Record<string, string>>, checked: string): Promise<{ status: number | null; output: string }> {
  if (promtool === undefined) throw new Error(promtoolNote);
  const folder = await mkdtemp(join(tmpdir(), "mami-promtool-"));
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(join(folder, name), text);
    const result = spawnSync(promtool, ["check", what, checked], { cwd: folder, encoding: "utf8", timeout: 30_000 });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
