import type { MamiCore } from "../src/core/mami-core.js";
import type { ReplyStream } from "../src/core/reply.js";
import type { ChatRequest } from "../src/core/request.js";
import { askCommand } from "./ask.js";
import type { CommandDefinition } from "./definition.js";
import { helpCommand } from "./help.js";
import { modelCommand } from "./model.js";
import { notice } from "./notice.js";
import { resetCommand } from "./reset.js";
import { statusCommand } from "./status.js";

export type { CommandDefinition, CommandOption, CommandChoice } from "./definition.js";

export const commandDefinitions: readonly CommandDefinition[] = [
  askCommand,
  resetCommand,
  modelCommand,
  statusCommand,
  helpCommand,
];

export function findCommand(name: string): CommandDefinition | undefined {
  return commandDefinitions.find((command) => command.name === name.toLowerCase());
}

/**
 * Runs a command by name with raw option values (a slash command's options, or the rest of a
 * typed line under the command's `textOption`). Bad options get a reply that says what to do.
 */
export function runCommand(
  core: MamiCore,
  request: ChatRequest,
  name: string,
  rawOptions: Record<string, string | undefined>,
): ReplyStream {
  const command = findCommand(name);
  if (command === undefined) {
    return notice(`There is no /${name} command. Try /help.`);
  }
  const parsed = command.schema.safeParse(rawOptions);
  if (!parsed.success) {
    const problem = parsed.error.issues[0];
    const field = problem?.path.join(".") ?? "option";
    return notice(`/${command.name}: ${field} ${problem?.message ?? "is invalid"}. Try /help.`);
  }
  return command.run(core, request, parsed.data);
}

/** Splits a typed command line (`/model@mamibot code`) into the command name and its options. */
export function parseCommandLine(
  text: string,
): { readonly name: string; readonly options: Record<string, string | undefined> } | undefined {
  const match = /^\/([a-zA-Z0-9_]+)(?:@\S+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (match === null) return undefined;
  const name = (match[1] ?? "").toLowerCase();
  const rest = match[2]?.trim();
  const command = findCommand(name);
  const options: Record<string, string | undefined> = {};
  if (command?.textOption !== undefined && rest !== undefined && rest !== "") options[command.textOption] = rest;
  return { name, options };
}
