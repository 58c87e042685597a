/**
 * What happens when answering one message or command fails in the adapter (Discord refused a
 * call, a permission is missing): the person gets a short apology, the log gets the details,
 * and the client goes on serving everyone else.
 */
import { MessageFlags, type CommandInteraction, type Message } from "discord.js";
import { wordingFor, wordingOf } from "../../core/language/wording.js";
import type { Logger } from "../../core/ports/logger.js";

/** The apology in English; each user gets it in their language (`apologyIn`). */
export const apologyText = wordingFor("en").say("discord.apology");

/** The apology in the language the core would answer in: the interaction's locale, or the guild's for a message. */
function apologyIn(locale: string | null | undefined): string {
  return wordingOf(locale === null || locale === undefined ? {} : { locale }).say("discord.apology");
}

function describe(error: unknown): object {
  return error instanceof Error ? { error: error.message, name: error.name, stack: error.stack } : { error: String(error) };
}

export async function apologizeForMessage(message: Message, error: unknown, logger: Logger): Promise<void> {
  logger.error({ ...describe(error), messageId: message.id, channelId: message.channelId }, "Answering a Discord message failed");
  try {
    await message.reply({ content: apologyIn(message.guild?.preferredLocale), allowedMentions: { parse: [], repliedUser: false }, failIfNotExists: false });
  } catch (apologyError) {
    logger.warn({ ...describe(apologyError), messageId: message.id }, "Could not apologize on Discord either");
  }
}

/**
 * Only the person who ran the command sees the apology. A deferred "thinking..." response that
 * never received text is removed, so it does not hang in the channel for ever.
 */
export async function apologizeForInteraction(
  interaction: CommandInteraction,
  error: unknown,
  logger: Logger,
  { shownAnything }: { shownAnything: boolean },
): Promise<void> {
  logger.error({ ...describe(error), interactionId: interaction.id, command: interaction.commandName }, "Answering a Discord command failed");
  try {
    if (!interaction.deferred && !interaction.replied) {
      await interaction.reply({ content: apologyIn(interaction.locale), flags: MessageFlags.Ephemeral });
      return;
    }
    // The placeholder goes first, so nobody ever sees both it and the apology.
    if (!shownAnything) await interaction.deleteReply().catch(() => undefined);
    await interaction.followUp({ content: apologyIn(interaction.locale), flags: MessageFlags.Ephemeral });
  } catch (apologyError) {
    logger.warn({ ...describe(apologyError), interactionId: interaction.id }, "Could not apologize on Discord either");
  }
}
