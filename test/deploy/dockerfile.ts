/**
 * A small Dockerfile reader for the deployment tests: instructions with their flags and
 * arguments, grouped into stages, as BuildKit reads them (comments and blank lines dropped, `\`
 * continuations joined). It covers what Mami's Dockerfile uses, and refuses what it does not
 * (heredocs), rather than misreading it.
 */

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY, ... */
  readonly keyword: string;
  /** Leading `--name=value` flags (`--from=build`, `--interval=15s`); a bare `--link` maps to "". */
  readonly flags: ReadonlyMap<string, string>;
  /** What follows the keyword and its flags, continuations joined with a space. */
  readonly arguments: string;
  /** The line the instruction starts on, for messages. */
  readonly line: number;
}

export interface Stage {
  /** The `AS` name, if any. */
  readonly name: string | undefined;
  /** The image after FROM, as written (`${NODE_IMAGE}`). */
  readonly base: string;
  /** Every instruction after the FROM, up to the next FROM. */
  readonly instructions: readonly Instruction[];
}

export interface Dockerfile {
  /** ARGs before the first FROM: the only ones FROM lines may use. */
  readonly globalArgs: ReadonlyMap<string, string>;
  readonly stages: readonly Stage[];
}

/** Splits the physical lines into instructions. */
function logicalLines(text: string): { readonly text: string; readonly line: number }[] {
  const lines = text.split(/\r?\n/);
  const result: { text: string; line: number }[] = [];
  let pending: { text: string; line: number } | undefined;
  lines.forEach((raw, index) => {
    const trimmed = raw.trim();
    // Comments and blank lines are dropped, also in the middle of a continued instruction.
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const continued = trimmed.endsWith("\\");
    const content = continued ? trimmed.slice(0, -1).trimEnd() : trimmed;
    if (pending === undefined) pending = { text: content, line: index + 1 };
    else pending.text = `${pending.text} ${content}`;
    if (!continued) {
      result.push(pending);
      pending = undefined;
    }
  });
  if (pending !== undefined) throw new Error(`Dockerfile line ${pending.line}: the last instruction ends with a continuation`);
  return result;
}

function parseInstruction(text: string, line: number): Instruction {
  const match = /^(\S+)\s*(.*)$/s.exec(text)!;
  const keyword = match[1]!.toUpperCase();
  let rest = match[2]!;
  if (/<<-?\s*["']?\w/.test(rest) && (keyword === "RUN" || keyword === "COPY")) {
    throw new Error(`Dockerfile line ${line}: heredocs are not understood by this reader; keep the Dockerfile without them`);
  }
  const flags = new Map<string, string>();
  for (;;) {
    const flag = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest);
    if (flag === null) break;
    flags.set(flag[1]!, flag[2] ?? "");
    rest = rest.slice(flag[0].length);
  }
  return { keyword, flags, arguments: rest.trim(), line };
}

export function parseDockerfile(text: string): Dockerfile {
  const globalArgs = new Map<string, string>();
  const stages: { name: string | undefined; base: string; instructions: Instruction[] }[] = [];
  for (const { text: instructionText, line } of logicalLines(text)) {
    const instruction = parseInstruction(instructionText, line);
    if (instruction.keyword === "FROM") {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.arguments);
      if (from === null) throw new Error(`Dockerfile line ${line}: cannot read FROM ${instruction.arguments}`);
      stages.push({ base: from[1]!, name: from[2], instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== "ARG") throw new Error(`Dockerfile line ${line}: only ARG may come before the first FROM`);
      const [name, value = ""] = instruction.arguments.split("=", 2) as [string, string?];
      globalArgs.set(name, value);
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

/** The arguments of CMD, ENTRYPOINT or HEALTHCHECK's CMD in exec form (a JSON array), or undefined in shell form. */
export function execForm(text: string): readonly string[] | undefined {
  if (!text.startsWith("[")) return undefined;
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || !parsed.every((part): part is string => typeof part === "string")) {
    throw new Error(`not a JSON array of strings: ${text}`);
  }
  return parsed;
}

/** The variables an ENV instruction sets (`A=1 B="two words"`; the old `ENV A 1` form too). */
export function environmentOf(instruction: Instruction): ReadonlyMap<string, string> {
  const variables = new Map<string, string>();
  const text = instruction.arguments;
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(text)) {
    const [name, ...value] = text.split(/\s+/);
    variables.set(name!, value.join(" "));
    return variables;
  }
  for (const pair of text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)) {
    const raw = pair[2]!;
    variables.set(pair[1]!, /^["']/.test(raw) ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw);
  }
  return variables;
}

/** The instruction's shell command split at `&&` into the commands it runs one after another. */
export function shellSteps(instruction: Instruction): readonly string[] {
  return instruction.arguments
    .split("&&")
    .map((step) => step.trim())
    .filter((step) => step !== "");
}

/** The stage a name refers to (`--from=build`), or the last one (the image) when no name is given. */
export function stageNamed(dockerfile: Dockerfile, name?: string): Stage {
  const stage = name === undefined ? dockerfile.stages.at(-1) : dockerfile.stages.find((candidate) => candidate.name === name);
  if (stage === undefined) throw new Error(`no stage ${name ?? "at all"} in the Dockerfile`);
  return stage;
}
