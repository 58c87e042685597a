import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";

const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Node 20 cannot run TypeScript by itself, and a program must be tested as written, not a
 * build of it. So the child boots vite's module runner (the same transform vitest uses; vite
 * comes with vitest) and imports the script through it, with the arguments after it in
 * process.argv as a real run would have them. Bare imports resolve from the repository root,
 * which is why the child starts there.
 */
const bootstrap = `
import { createServer, createServerModuleRunner } from "vite";
const server = await createServer({
  configFile: false, logLevel: "error", appType: "custom",
  server: { middlewareMode: true, hmr: false, watch: null, ws: false },
});
const runner = createServerModuleRunner(server.environments.ssr, { hmr: false });
try {
  await runner.import(process.argv[1]);
} finally {
  await runner.close();
  await server.close();
}
`;

export interface ProgramRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly env?: Record<string, string | undefined>;
  readonly input?: string;
  readonly timeoutMs?: number;
}

/** Starts a TypeScript program of this repository in a new node process; the caller ends it. */
export function spawnTypeScript(scriptFromRoot: string, args: readonly string[], options: RunOptions = {}): ChildProcessWithoutNullStreams {
  const script = fileURLToPath(new URL(scriptFromRoot, `file://${repositoryRoot}`));
  return spawn(process.execPath, ["--input-type=module", "--eval", bootstrap, script, ...args], {
    cwd: repositoryRoot,
    env: { ...options.env, PATH: process.env.PATH ?? "" },
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** Runs a TypeScript program of this repository in a new node process and collects its output. */
export function runTypeScript(scriptFromRoot: string, args: readonly string[], options: RunOptions = {}): Promise<ProgramRun> {
  const child = spawnTypeScript(scriptFromRoot, args, options);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(options.input ?? "");
  const deadline = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (exitCode) => {
      clearTimeout(deadline);
      resolve({ exitCode, stdout, stderr });
    });
  });
}
