import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import net from "node:net";
import os from "node:os";

/** A redis-server this test run started, on 127.0.0.1 and a port of its own. */
export interface RunningRedisServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

export const installRedisNote = "install redis-server to run the Redis tests (or set MAMI_TEST_REDIS_URL)";

export function isRedisServerInstalled(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

/** A port nothing listens on right now: bind port 0, read what the system chose, let it go. */
export async function findFreePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  if (address === null || typeof address === "string") {
    throw new Error("Could not read the port of a probe server");
  }
  return address.port;
}

/**
 * Starts redis-server without persistence (nothing written to disk) and resolves once it answers
 * PING. `port` reuses a port, to bring a stopped server back where its clients expect it.
 */
export async function startRedisServer(port?: number): Promise<RunningRedisServer> {
  // Another process may take the probed port before redis-server binds it: try a few ports.
  const attempts = port === undefined ? 3 : 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    try {
      return await startOnPort(port ?? (await findFreePort()));
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnPort(port: number): Promise<RunningRedisServer> {
  const child = spawn(
    "redis-server",
    ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"],
    { cwd: os.tmpdir(), stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const keepOutput = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on("data", keepOutput);
  child.stderr?.on("data", keepOutput);
  const exited = once(child, "exit");
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error("redis-server did not start");
  }

  const deadline = Date.now() + 10_000;
  while (!(await answersPing(port))) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`redis-server on port ${port} exited at startup: ${output}`);
    }
    if (Date.now() > deadline) {
      await stopChild(child, exited);
      throw new Error(`redis-server on port ${port} did not answer PING within 10 s: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `redis://127.0.0.1:${port}`, port, pid, stop: () => stopChild(child, exited) };
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  child.kill("SIGTERM");
  const stoppedInTime = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000))]);
  if (!stoppedInTime) {
    child.kill("SIGKILL");
    await exited;
  }
}

/** One PING in the Redis protocol over a plain socket: no client library to set up or tear down. */
async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    let reply = "";
    const finish = (answered: boolean): void => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.on("error", () => finish(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString();
      if (reply.includes("\r\n")) {
        finish(reply.startsWith("+PONG"));
      }
    });
  });
}
