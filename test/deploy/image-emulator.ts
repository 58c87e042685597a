/**
 * Carries out a Dockerfile's file-system steps on this machine, one folder per stage standing in
 * for its root: WORKDIR, ENV, COPY from the build context (after .dockerignore) or from another
 * stage, and RUN, each of whose `&&` steps goes to a policy that runs it, substitutes it, or
 * refuses it. No Docker engine runs here; this is how the Dockerfile's own commands get run.
 */
import { cp, mkdir, stat } from "node:fs/promises";
import { dirname, join, posix } from "node:path";
import { shellSteps, environmentOf, type Dockerfile } from "./dockerfile.js";

export interface StageState {
  readonly name: string;
  /** The folder standing in for the stage's `/`. */
  readonly root: string;
  /** The container path of the current WORKDIR. */
  workdir: string;
  readonly environment: Map<string, string>;
  user: string;
}

/** What to do with one step of a RUN: run it in the stage, do something equivalent, or throw. */
export type RunPolicy = (step: string, stage: StageState) => Promise<void>;

export interface BuildContext {
  /** The checkout the context comes from. */
  readonly root: string;
  /** The files the builder would receive (paths from the root, with `/`). */
  readonly files: readonly string[];
}

/** A container path of the stage, as a path on this machine. */
export function inStage(stage: StageState, containerPath: string): string {
  return join(stage.root, posix.resolve(stage.workdir, containerPath));
}

async function copyFromContext(context: BuildContext, sources: readonly string[], destination: string, stage: StageState): Promise<void> {
  const target = inStage(stage, destination);
  const intoFolder = destination.endsWith("/") || sources.length > 1;
  for (const source of sources) {
    const cleaned = posix.normalize(source).replace(/\/+$/, "");
    if (context.files.includes(cleaned)) {
      const to = intoFolder ? join(target, posix.basename(cleaned)) : target;
      await mkdir(dirname(to), { recursive: true });
      await cp(join(context.root, cleaned), to);
      continue;
    }
    // A folder: its contents (as far as the context holds them) go into the destination.
    const inside = context.files.filter((file) => file.startsWith(`${cleaned}/`));
    if (inside.length === 0) throw new Error(`COPY ${source}: not in the build context (missing, or left out by .dockerignore)`);
    for (const file of inside) {
      const to = join(target, file.slice(cleaned.length + 1));
      await mkdir(dirname(to), { recursive: true });
      await cp(join(context.root, file), to);
    }
  }
}

async function copyFromStage(from: StageState, sources: readonly string[], destination: string, stage: StageState): Promise<void> {
  const intoFolder = destination.endsWith("/") || sources.length > 1;
  for (const source of sources) {
    const origin = inStage(from, source);
    await stat(origin).catch(() => {
      throw new Error(`COPY --from=${from.name} ${source}: stage ${from.name} has no such path`);
    });
    const to = intoFolder ? join(inStage(stage, destination), posix.basename(source)) : inStage(stage, destination);
    await mkdir(dirname(to), { recursive: true });
    await cp(origin, to, { recursive: true, verbatimSymlinks: true });
  }
}

/** Builds every stage in order under `scratch`; returns them by name (the last is the image). */
export async function emulateBuild(dockerfile: Dockerfile, context: BuildContext, scratch: string, run: RunPolicy): Promise<StageState[]> {
  const built: StageState[] = [];
  for (const [index, stage] of dockerfile.stages.entries()) {
    const state: StageState = {
      name: stage.name ?? String(index),
      root: join(scratch, stage.name ?? `stage-${index}`),
      workdir: "/",
      environment: new Map(),
      user: "root",
    };
    await mkdir(state.root, { recursive: true });
    for (const instruction of stage.instructions) {
      switch (instruction.keyword) {
        case "WORKDIR":
          state.workdir = posix.resolve(state.workdir, instruction.arguments);
          await mkdir(inStage(state, "."), { recursive: true });
          break;
        case "ENV":
          for (const [name, value] of environmentOf(instruction)) state.environment.set(name, value);
          break;
        case "USER":
          state.user = instruction.arguments;
          break;
        case "COPY": {
          const parts = instruction.arguments.startsWith("[") ? (JSON.parse(instruction.arguments) as string[]) : instruction.arguments.split(/\s+/);
          const destination = parts.at(-1)!;
          const sources = parts.slice(0, -1);
          const fromName = instruction.flags.get("from");
          if (fromName === undefined) await copyFromContext(context, sources, destination, state);
          else {
            const from = built.find((candidate) => candidate.name === fromName);
            if (from === undefined) throw new Error(`Dockerfile line ${instruction.line}: COPY --from=${fromName} names no earlier stage`);
            await copyFromStage(from, sources, destination, state);
          }
          break;
        }
        case "RUN":
          for (const step of shellSteps(instruction)) await run(step, state);
          break;
        case "ADD":
          throw new Error(`Dockerfile line ${instruction.line}: ADD is not emulated; use COPY`);
        default:
          // ARG, LABEL, EXPOSE, HEALTHCHECK, STOPSIGNAL, CMD, ENTRYPOINT: nothing on the file system.
          break;
      }
    }
    built.push(state);
  }
  return built;
}
