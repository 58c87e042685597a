/**
 * Buttons under a part still under way (a reading's "Stop reading"): each carries the command it
 * runs and the user it was shown to, and only commands that may come from a button are taken
 * back from one, whatever a client sends.
 */
import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from "discord.js";
import { parseCommandLine } from "../../../commands/index.js";
import type { CommandInvocation } from "../../core/request.js";
import type { ReplyChoice } from "../../core/reply.js";

const prefix = "mami:";
/** What a part's button may run: stopping a reading. */
const commandsFromButtons = new Set(["cancel"]);

export function buttonRows(choices: readonly ReplyChoice[], shownTo: string): ActionRowBuilder<ButtonBuilder>[] {
  const buttons = choices.map((choice) =>
    new ButtonBuilder()
      .setCustomId(`${prefix}${shownTo}:${choice.command}`.slice(0, 100))
      .setLabel(choice.label.slice(0, 80))
      .setStyle(ButtonStyle.Secondary),
  );
  return buttons.length === 0 ? [] : [new ActionRowBuilder<ButtonBuilder>().addComponents(buttons)];
}

/** The command a button runs and whom it was shown to; undefined for a button that is not one of ours. */
export function buttonCommand(customId: string): { readonly command: CommandInvocation; readonly commandLine: string; readonly shownTo: string } | undefined {
  if (!customId.startsWith(prefix)) return undefined;
  const rest = customId.slice(prefix.length);
  const separator = rest.indexOf(":");
  if (separator <= 0) return undefined;
  const commandLine = rest.slice(separator + 1);
  const command = parseCommandLine(commandLine);
  if (command === undefined || !commandsFromButtons.has(command.name)) return undefined;
  return { command, commandLine, shownTo: rest.slice(0, separator) };
}
