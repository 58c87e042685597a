/**
 * Where a reply is shown on Discord. The live reply presenter decides when and what; these only
 * talk to Discord. Discord renders the core's markdown as it is, so no conversion is needed.
 */
import { MessageFlags, type CommandInteraction, type Message, type MessageMentionOptions } from "discord.js";
import type { ReplySurface } from "../../core/rendering/reply-surface.js";

/** An answer may quote `@everyone` or a role: it must never ping anyone but the asker. */
const noPings: MessageMentionOptions = { parse: [] };

/** Discord refuses an empty message; a part is never empty in practice, but a refusal would lose the reply. */
function visible(markdown: string): string {
  return markdown.trim() === "" ? "\u200b" : markdown;
}

/** A reply to a message: the first part replies to it, later parts follow in the channel. */
export class MessageReplySurface implements ReplySurface {
  private repliedYet = false;

  constructor(private readonly message: Message) {}

  async showWorking(): Promise<void> {
    if (this.message.channel.isSendable()) await this.message.channel.sendTyping();
  }

  async sendPart(markdown: string): Promise<string> {
    if (!this.repliedYet) {
      // The asker is pinged once, by the reply itself; failIfNotExists: a deleted question still gets its answer.
      const reply = await this.message.reply({ content: visible(markdown), allowedMentions: { ...noPings, repliedUser: true }, failIfNotExists: false });
      this.repliedYet = true;
      return reply.id;
    }
    if (!this.message.channel.isSendable()) throw new Error(`Channel ${this.message.channelId} does not take messages.`);
    const followUp = await this.message.channel.send({ content: visible(markdown), allowedMentions: noPings });
    return followUp.id;
  }

  async editPart(messageId: string, markdown: string): Promise<void> {
    await this.message.channel.messages.edit(messageId, { content: visible(markdown), allowedMentions: noPings });
  }

  async deletePart(messageId: string): Promise<void> {
    await this.message.channel.messages.delete(messageId);
  }
}

/**
 * A command's reply: the deferred response is edited with the first part, later parts are
 * follow-ups. A reply meant only for the asker (an error) goes out as ephemeral follow-ups
 * instead, and the public "thinking..." placeholder is removed.
 */
export class InteractionReplySurface implements ReplySurface {
  private originalMessageId: string | undefined;
  private onlyForTheAsker = false;
  private sentPrivately = false;

  constructor(private readonly interaction: CommandInteraction) {}

  /** Whether any part replaced the deferred "thinking..." response or was sent in its place. */
  get hasShownAnything(): boolean {
    return this.originalMessageId !== undefined || this.sentPrivately;
  }

  /** From now on, parts are shown to the person who ran the command only. */
  answerPrivately(): void {
    if (this.originalMessageId === undefined) this.onlyForTheAsker = true;
  }

  async showWorking(): Promise<void> {
    // The deferred response already shows "Mami is thinking..." until the first edit.
  }

  async sendPart(markdown: string): Promise<string> {
    if (this.onlyForTheAsker) return this.sendPrivately(markdown);
    if (this.originalMessageId === undefined) {
      const original = await this.interaction.editReply({ content: visible(markdown), allowedMentions: noPings });
      this.originalMessageId = original.id;
      return original.id;
    }
    const followUp = await this.interaction.followUp({ content: visible(markdown), allowedMentions: noPings });
    return followUp.id;
  }

  async editPart(messageId: string, markdown: string): Promise<void> {
    const message = messageId === this.originalMessageId ? "@original" : messageId;
    await this.interaction.editReply({ message, content: visible(markdown), allowedMentions: noPings });
  }

  async deletePart(messageId: string): Promise<void> {
    await this.interaction.deleteReply(messageId === this.originalMessageId ? "@original" : messageId);
  }

  private async sendPrivately(markdown: string): Promise<string> {
    const followUp = await this.interaction.followUp({ content: visible(markdown), allowedMentions: noPings, flags: MessageFlags.Ephemeral });
    if (!this.sentPrivately) {
      this.sentPrivately = true;
      // The placeholder would otherwise say "thinking..." to everyone for ever.
      await this.interaction.deleteReply().catch(() => undefined);
    }
    return followUp.id;
  }
}
