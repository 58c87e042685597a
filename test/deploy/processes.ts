/** Child processes for the deployment tests: each in its own process group, stopped by its pid. */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { tmpdir } from "node:os";

export interface Launched {
  readonly child: ChildProcess;
  /** Exit code, or the signal's name when a signal ended it. */
  readonly exited: Promise<number | string>;
  readonly output: () => string;
}

/** The environment a container would have: only what the image and the test set, and a PATH to find node and npm. */
export function containerEnvironment(variables: ReadonlyMap<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir(), npm_config_update_notifier: "false", npm_config_fund: "false", ...Object.fromEntries(variables) };
}

export function launch(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Launched {
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });
  return { child, exited, output: () => output };
}

/** Sends a signal to the launched process and everything it started. */
export function signalGroup(launched: Launched, signal: NodeJS.Signals): void {
  const { pid, exitCode, signalCode } = launched.child;
  if (pid === undefined || exitCode !== null || signalCode !== null) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Runs a command to its end, killing it after `timeoutMs` as Docker kills a step that hangs. */
export async function runToEnd(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ readonly code: number | string; readonly output: string; readonly ms: number }> {
  const started = performance.now();
  const launched = launch(command, args, cwd, env);
  const timer = setTimeout(() => signalGroup(launched, "SIGKILL"), timeoutMs);
  try {
    const code = await launched.exited;
    return { code, output: launched.output(), ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/** A loopback TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}
