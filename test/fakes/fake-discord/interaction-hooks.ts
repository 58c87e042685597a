/** Test hooks that make a user run a command: a slash command, its autocomplete, or "Ask Mami" on a message. */
import { now } from "./call-log.js";
import type { FakeGateway } from "./gateway.js";
import {
  autocompleteData,
  chatInputData,
  interactionPayload,
  messageContextMenuData,
  type CommandOptionValue,
  type InteractionPlace,
} from "./interaction-payloads.js";
import type { AttachmentPayload, Json } from "./payloads.js";
import { nextSnowflake } from "./snowflakes.js";
import type { FakeDiscordState } from "./state.js";
import { directMessageChannelId, findChannel, type FakeUser } from "./world.js";

export interface InteractionPlaceOptions {
  /** Default: the first text channel of the first guild. */
  readonly channelId?: string;
  /** Run it in the user's DM with the bot instead of a guild channel. */
  readonly inDirectMessage?: boolean;
  readonly user?: FakeUser;
  /** The member's permissions (Discord's bit field as a string, e.g. "0" for none); default all. */
  readonly permissions?: string;
  /** The language of the user's Discord client ("tr", "es-ES", "de"); default "en-US". */
  readonly locale?: string;
}

export interface SlashCommandOptions extends InteractionPlaceOptions {
  readonly name: string;
  /** String options by name. */
  readonly options?: Readonly<Record<string, string>>;
  /** Attachment options by name. */
  readonly attachments?: Readonly<Record<string, AttachmentPayload>>;
}

export interface AutocompleteOptions extends InteractionPlaceOptions {
  readonly name: string;
  readonly optionName: string;
  readonly typed: string;
}

export interface ContextMenuOptions extends InteractionPlaceOptions {
  /** Default "Ask Mami". */
  readonly name?: string;
  /** The message the command was used on; it must be known to the fake. */
  readonly targetMessageId: string;
}

export interface DispatchedInteraction {
  readonly id: string;
  readonly token: string;
  readonly channelId: string;
  readonly payload: Json;
  /** `performance.now()` when the fake sent it down the gateway. */
  readonly dispatchedAt: number;
}

export class InteractionHooks {
  constructor(
    private readonly state: FakeDiscordState,
    private readonly gateway: FakeGateway,
  ) {}

  slashCommand(options: SlashCommandOptions): DispatchedInteraction {
    const strings: CommandOptionValue[] = Object.entries(options.options ?? {}).map(([name, value]) => ({ name, value }));
    const attachmentEntries = Object.entries(options.attachments ?? {});
    const attachmentOptions: CommandOptionValue[] = attachmentEntries.map(([name, attachment]) => ({ name, value: attachment.id, type: 11 }));
    const data = chatInputData(this.commandId(options.name), options.name, [...strings, ...attachmentOptions], attachmentEntries.map(([, attachment]) => attachment));
    return this.dispatch(2, data, options);
  }

  autocomplete(options: AutocompleteOptions): DispatchedInteraction {
    return this.dispatch(4, autocompleteData(this.commandId(options.name), options.name, options.optionName, options.typed), options);
  }

  messageContextMenu(options: ContextMenuOptions): DispatchedInteraction {
    const target = this.state.board.get(options.targetMessageId);
    if (target === undefined) throw new Error(`The fake knows no message ${options.targetMessageId}.`);
    const name = options.name ?? "Ask Mami";
    return this.dispatch(2, messageContextMenuData(this.commandId(name), name, target.payload), { channelId: target.channelId, ...options });
  }

  private dispatch(type: 2 | 4, data: Json, options: InteractionPlaceOptions): DispatchedInteraction {
    const place = this.place(options);
    const id = nextSnowflake();
    const token = `interaction-token-${id}`;
    const payload = interactionPayload({ id, token, applicationId: this.state.world.applicationId, type, data, place });
    const dispatchedAt = now();
    this.state.interactions.set(token, {
      id,
      token,
      channelId: place.channelId,
      guildId: place.guild?.id,
      user: place.user,
      dispatchedAt,
      callbacks: [],
      originalMessageId: undefined,
    });
    this.gateway.dispatch("INTERACTION_CREATE", payload);
    return { id, token, channelId: place.channelId, payload, dispatchedAt };
  }

  private place(options: InteractionPlaceOptions): InteractionPlace {
    const user = options.user ?? this.state.world.user;
    const locale = options.locale === undefined ? {} : { locale: options.locale };
    if (options.inDirectMessage === true) {
      const channelId = directMessageChannelId(user.id);
      this.state.directMessageChannels.add(channelId);
      return { guild: undefined, channel: undefined, channelId, user, ...locale };
    }
    const channelId = options.channelId ?? this.state.world.guilds[0]?.channels[0]?.id ?? "";
    if (this.state.directMessageChannels.has(channelId)) return { guild: undefined, channel: undefined, channelId, user, ...locale };
    const found = findChannel(this.state.world, channelId);
    if (found === undefined) throw new Error(`The fake has no channel ${channelId}.`);
    return { guild: found.guild, channel: found.channel, channelId, user, ...locale, ...(options.permissions === undefined ? {} : { permissions: options.permissions }) };
  }

  /** The id the last registration gave the command, so deployed and dispatched commands agree. */
  private commandId(name: string): string {
    for (const registration of [...this.state.commandRegistrations].reverse()) {
      const command = registration.commands.find((candidate) => candidate["name"] === name);
      if (command !== undefined) return String(command["id"]);
    }
    return nextSnowflake();
  }
}
