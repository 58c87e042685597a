import { once } from "node:events";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { eventually } from "../eventually.js";
import { spawnTypeScript } from "../run-typescript.js";

/** `mami start` in a process of its own, as an operator runs it, with its log at hand. */
export interface MamiProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Its log so far, one JSON line each, parsed. */
  lines(): readonly { readonly msg?: string; readonly [field: string]: unknown }[];
  /** Waits until a log line's message starts with `message`. */
  waitForLog(message: string, timeoutMs?: number): Promise<void>;
  /** Sends the signal and resolves with the exit code (null when killed by the signal). */
  stop(signal: NodeJS.Signals): Promise<number | null>;
  readonly stderr: () => string;
}

export function startMamiProcess(env: Record<string, string>): MamiProcess {
  const child = spawnTypeScript("src/cli.ts", ["start"], { env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  const lines = (): { msg?: string }[] =>
    stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { msg?: string });
  return {
    child,
    lines,
    stderr: () => stderr,
    waitForLog: async (message, timeoutMs = 60_000) => {
      await eventually(
        () => child.exitCode === null && lines().some((line) => line.msg?.startsWith(message) === true),
        () => `"${message}" in the log of a mami process (exit ${child.exitCode}; stderr: ${stderr.slice(-500)})`,
        timeoutMs,
      );
    },
    stop: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const [code] = await exited;
      return code;
    },
  };
}
