import type { ChatCommands } from "../src/core/mami.js";
import { wordingOf } from "../src/core/language/wording.js";
import { noticeStream } from "../src/core/reply.js";
import type { CommandInvocation } from "../src/core/request.js";
import { askCommand } from "./ask.js";
import { cancelCommand } from "./cancel.js";
import type { CommandDefinition } from "./definition.js";
import { helpCommand } from "./help.js";
import { modelCommand } from "./model.js";
import { personaCommand } from "./persona.js";
import { resetCommand } from "./reset.js";
import { searchCommand } from "./search.js";
import { statsCommand } from "./stats.js";
import { statusCommand } from "./status.js";
import { usageCommand } from "./usage.js";

export type { CommandDefinition, CommandOption, CommandChoice, Described } from "./definition.js";

export const commandDefinitions: readonly CommandDefinition[] = [
  askCommand,
  searchCommand,
  resetCommand,
  modelCommand,
  statusCommand,
  cancelCommand,
  helpCommand,
  // The community features: a chat's persona, one's own usage, the operators' figures.
  personaCommand,
  usageCommand,
  statsCommand,
];

/** The command a name (or one of its aliases) stands for, in any letter case. */
export function findCommand(name: string): CommandDefinition | undefined {
  const wanted = name.toLowerCase();
  return commandDefinitions.find((command) => command.name === wanted || command.aliases?.includes(wanted) === true);
}

/**
 * A command by the name it was typed with and the rest of its line, which goes to the command's
 * `textOption` (`/ask how are you` asks "how are you"). Unknown names are kept, so that the
 * reply can say there is no such command.
 */
export function commandInvocation(typedName: string, restOfLine: string): CommandInvocation {
  const command = findCommand(typedName);
  const rest = restOfLine.trim();
  const options: Record<string, string | undefined> = {};
  if (command?.textOption !== undefined && rest !== "") options[command.textOption] = rest;
  return { name: command?.name ?? typedName.toLowerCase(), options };
}

/**
 * Splits a typed command line (`/model@mamibot code`, a caption `/ask what is this?`, a button's
 * `/model auto`) into the command and its raw options: the one parser of typed commands. The
 * rest of the line goes to the command's `textOption`. Undefined when the text is no command.
 */
export function parseCommandLine(text: string): CommandInvocation | undefined {
  const match = /^\/([a-zA-Z0-9_]+)(?:@\S+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (match === null) return undefined;
  return commandInvocation(match[1] ?? "", match[2] ?? "");
}

/** What the core runs for a request that carries a command: bad options get a reply that says what to do. */
export const chatCommands: ChatCommands = {
  run(mami, request, invocation) {
    const words = wordingOf(request);
    const command = findCommand(invocation.name);
    if (command === undefined) return noticeStream(words.say("command.unknown", { name: invocation.name }));
    const parsed = command.schema.safeParse(invocation.options);
    if (!parsed.success) {
      const problem = parsed.error.issues[0];
      const field = problem?.path.join(".") ?? "option";
      // zod's own words say what is wrong with the option; they stay in English.
      return noticeStream(words.say("command.badOption", { command: command.name, field, problem: problem?.message ?? "is invalid" }));
    }
    return command.run(mami, request, parsed.data);
  },
  choices(mami, commandName, optionName) {
    return findCommand(commandName)?.options.find((option) => option.name === optionName)?.choices?.(mami) ?? [];
  },
};
