/** The Dockerfile's HEALTHCHECK, read once and run here as Docker would run it in the container. */
import { execForm, type Dockerfile, type Instruction, stageNamed } from "./dockerfile.js";
import { containerEnvironment, runToEnd } from "./processes.js";

export interface Healthcheck {
  readonly instruction: Instruction;
  /** The command in exec form: Docker runs it without a shell. */
  readonly command: readonly string[];
  /** Docker's --timeout: a check running longer is killed and counts as failed. */
  readonly timeoutMs: number;
}

/** Docker's duration flags: 30s, 1m30s, 500ms. */
export function durationMs(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join("") !== text) throw new Error(`not a duration: ${text}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
  return parts.reduce((total, [, amount, name]) => total + Number(amount) * unit[name as keyof typeof unit], 0);
}

export function healthcheckOf(dockerfile: Dockerfile): Healthcheck {
  const instructions = stageNamed(dockerfile).instructions.filter((instruction) => instruction.keyword === "HEALTHCHECK");
  if (instructions.length !== 1) throw new Error(`the image stage should have one HEALTHCHECK, has ${instructions.length}`);
  const instruction = instructions[0]!;
  const match = /^CMD\s+(.*)$/s.exec(instruction.arguments);
  if (match === null) throw new Error(`HEALTHCHECK should be CMD [...], is ${instruction.arguments}`);
  const command = execForm(match[1]!);
  if (command === undefined) throw new Error("HEALTHCHECK CMD should be in exec form (a JSON array): the slim image's shell form adds /bin/sh for nothing");
  // Docker's default --timeout is 30 s.
  return { instruction, command, timeoutMs: durationMs(instruction.flags.get("timeout") ?? "30s") };
}

/** Runs the check with the container's environment; returns its exit code (or the signal that killed it) and how long it took. */
export async function runHealthcheck(check: Healthcheck, environment: ReadonlyMap<string, string>, cwd: string): Promise<{ code: number | string; ms: number }> {
  const [command, ...args] = check.command;
  const { code, ms } = await runToEnd(command!, args, cwd, containerEnvironment(environment), check.timeoutMs);
  return { code, ms };
}
