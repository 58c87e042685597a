/**
 * Where a reply is shown on Discord. The live reply presenter decides when and what; these only
 * talk to Discord. Discord renders the core's markdown as it is, so no conversion is needed.
 */
import { MessageFlags, type ButtonInteraction, type CommandInteraction, type Message, type MessageMentionOptions } from "discord.js";
import type { PartOptions, ReplySurface, SurfaceLimits } from "../../core/presentation/reply-surface.js";
import { buttonRows } from "./part-buttons.js";

export const discordMessageLimit = 2_000;

export const discordLimits: SurfaceLimits = {
  maxPartLength: discordMessageLimit,
  // Discord allows about five edits per five seconds per channel; once a second leaves room for other replies.
  minEditIntervalMs: 1_000,
  // "typing" lasts about ten seconds on Discord; renew it before it fades.
  workingIntervalMs: 8_000,
};

/** An answer may quote `@everyone` or a role: it must never ping anyone but the asker. */
const noPings: MessageMentionOptions = { parse: [] };

/** Discord refuses an empty message; a part is never empty in practice, but a refusal would lose the reply. */
function visible(markdown: string): string {
  return markdown.trim() === "" ? "\u200b" : markdown;
}

/**
 * Buttons under the parts that asked for them; an edit of such a part without choices removes
 * them (Discord keeps a message's components until an edit replaces them).
 */
class PartButtons {
  private readonly withButtons = new Set<string>();

  constructor(private readonly askerId: () => string) {}

  /** The components to send with a new part. */
  forNewPart(options: PartOptions | undefined): { components?: ReturnType<typeof buttonRows> } {
    const rows = options?.final === false && options.choices !== undefined ? buttonRows(options.choices, this.askerId()) : [];
    return rows.length === 0 ? {} : { components: rows };
  }

  sent(partId: string, fields: { components?: unknown }): void {
    if (fields.components !== undefined) this.withButtons.add(partId);
  }

  /** The components to send with an edit: new buttons, none (to remove old ones), or nothing to say. */
  forEdit(partId: string, options: PartOptions | undefined): { components?: ReturnType<typeof buttonRows> } {
    const fields = this.forNewPart(options);
    if (fields.components !== undefined) {
      this.withButtons.add(partId);
      return fields;
    }
    if (!this.withButtons.delete(partId)) return {};
    return { components: [] };
  }
}

/** A reply to a message: the first part replies to it, later parts follow in the channel. */
export class MessageReplySurface implements ReplySurface {
  readonly limits = discordLimits;
  // Discord lists choices as the commands to type; the `/model` option's autocomplete offers the same.
  readonly showsChoicesAsButtons = false;
  // A part under way can carry buttons, though: a reading's "Stop reading".
  readonly showsButtonsUnderParts = true;
  private repliedYet = false;
  private readonly buttons = new PartButtons(() => this.message.author.id);

  constructor(private readonly message: Message) {}

  async showWorking(): Promise<void> {
    if (this.message.channel.isSendable()) await this.message.channel.sendTyping();
  }

  async sendPart(markdown: string, options?: PartOptions): Promise<string> {
    const components = this.buttons.forNewPart(options);
    if (!this.repliedYet) {
      // The asker is pinged once, by the reply itself; failIfNotExists: a deleted question still gets its answer.
      const reply = await this.message.reply({ content: visible(markdown), allowedMentions: { ...noPings, repliedUser: true }, failIfNotExists: false, ...components });
      this.repliedYet = true;
      this.buttons.sent(reply.id, components);
      return reply.id;
    }
    if (!this.message.channel.isSendable()) throw new Error(`Channel ${this.message.channelId} does not take messages.`);
    const followUp = await this.message.channel.send({ content: visible(markdown), allowedMentions: noPings, ...components });
    this.buttons.sent(followUp.id, components);
    return followUp.id;
  }

  async editPart(messageId: string, markdown: string, options?: PartOptions): Promise<void> {
    await this.message.channel.messages.edit(messageId, { content: visible(markdown), allowedMentions: noPings, ...this.buttons.forEdit(messageId, options) });
  }

  async deletePart(messageId: string): Promise<void> {
    await this.message.channel.messages.delete(messageId);
  }
}

/**
 * A command's reply: the deferred response is edited with the first part, later parts are
 * follow-ups. A part meant only for the asker (an error the core keeps private) goes out as an
 * ephemeral follow-up instead, and the public "thinking..." placeholder is removed.
 */
export class InteractionReplySurface implements ReplySurface {
  readonly limits = discordLimits;
  readonly showsChoicesAsButtons = false;
  readonly showsButtonsUnderParts = true;
  private originalMessageId: string | undefined;
  private sentPrivately = false;
  private readonly buttons = new PartButtons(() => this.interaction.user.id);

  constructor(private readonly interaction: CommandInteraction | ButtonInteraction) {}

  /** Whether any part replaced the deferred "thinking..." response or was sent in its place. */
  get hasShownAnything(): boolean {
    return this.originalMessageId !== undefined || this.sentPrivately;
  }

  async showWorking(): Promise<void> {
    // The deferred response already shows "Mami is thinking..." until the first edit.
  }

  async sendPart(markdown: string, options: PartOptions): Promise<string> {
    // Once the public reply shows text, the rest of it stays public.
    if (options.onlyForAsker === true && this.originalMessageId === undefined) return this.sendPrivately(markdown);
    const components = this.buttons.forNewPart(options);
    if (this.originalMessageId === undefined) {
      const original = await this.interaction.editReply({ content: visible(markdown), allowedMentions: noPings, ...components });
      this.originalMessageId = original.id;
      this.buttons.sent(original.id, components);
      return original.id;
    }
    const followUp = await this.interaction.followUp({ content: visible(markdown), allowedMentions: noPings, ...components });
    this.buttons.sent(followUp.id, components);
    return followUp.id;
  }

  async editPart(messageId: string, markdown: string, options?: PartOptions): Promise<void> {
    const message = messageId === this.originalMessageId ? "@original" : messageId;
    await this.interaction.editReply({ message, content: visible(markdown), allowedMentions: noPings, ...this.buttons.forEdit(messageId, options) });
  }

  async deletePart(messageId: string): Promise<void> {
    await this.interaction.deleteReply(messageId === this.originalMessageId ? "@original" : messageId);
  }

  private async sendPrivately(markdown: string): Promise<string> {
    if (!this.sentPrivately) {
      this.sentPrivately = true;
      // The placeholder would otherwise say "thinking..." to everyone for ever; removed first,
      // so nobody ever sees both it and the private answer.
      await this.interaction.deleteReply().catch(() => undefined);
    }
    const followUp = await this.interaction.followUp({ content: visible(markdown), allowedMentions: noPings, flags: MessageFlags.Ephemeral });
    return followUp.id;
  }
}
