/** Test hooks that make a user write: in a guild channel, a thread or a DM. */
import { now } from "./call-log.js";
import type { FakeGateway } from "./gateway.js";
import { messagePayload, type AttachmentPayload, type Json } from "./payloads.js";
import { nextSnowflake } from "./snowflakes.js";
import type { FakeDiscordState } from "./state.js";
import { directMessageChannelId, findChannel, type FakeUser } from "./world.js";

export interface UserMessageOptions {
  readonly content: string;
  /** Default: the world's `user` (alice). */
  readonly author?: FakeUser;
  /** Prefix `<@bot>` (true) or the bot's managed role `<@&role>` ("role"), and list it in the mentions. */
  readonly mentionBot?: boolean | "role";
  /** The id of a message (the bot's or a user's) this one replies to. */
  readonly replyTo?: string;
  readonly attachments?: readonly AttachmentPayload[];
  /** 8192 IS_VOICE_MESSAGE, for instance. */
  readonly flags?: number;
  /** Written while the bot was away: in the channel's history, but never sent down the gateway. */
  readonly whileBotAway?: boolean;
}

export interface GuildMessageOptions extends UserMessageOptions {
  /** Default: the first text channel of the first guild (or its first thread, for a thread message). */
  readonly channelId?: string;
}

export interface DispatchedMessage {
  readonly id: string;
  readonly channelId: string;
  readonly payload: Json;
  /** `performance.now()` when the fake sent it down the gateway. */
  readonly dispatchedAt: number;
}

export class MessageHooks {
  constructor(
    private readonly state: FakeDiscordState,
    private readonly gateway: FakeGateway,
  ) {}

  guildMessage(options: GuildMessageOptions): DispatchedMessage {
    return this.inGuildChannel(options, options.channelId ?? this.firstChannel(0));
  }

  threadMessage(options: GuildMessageOptions): DispatchedMessage {
    return this.inGuildChannel(options, options.channelId ?? this.firstChannel(11));
  }

  directMessage(options: UserMessageOptions): DispatchedMessage {
    const author = options.author ?? this.state.world.user;
    const channelId = directMessageChannelId(author.id);
    this.state.directMessageChannels.add(channelId);
    return this.dispatch(options, { channelId, guildId: undefined, channelType: 1 });
  }

  private inGuildChannel(options: GuildMessageOptions, channelId: string): DispatchedMessage {
    const found = findChannel(this.state.world, channelId);
    if (found === undefined) throw new Error(`The fake has no guild channel ${channelId}.`);
    return this.dispatch(options, { channelId, guildId: found.guild.id, channelType: found.channel.type });
  }

  private dispatch(
    options: UserMessageOptions,
    place: { channelId: string; guildId: string | undefined; channelType: number },
  ): DispatchedMessage {
    const { bot } = this.state.world;
    const author = options.author ?? this.state.world.user;
    const referenced = options.replyTo === undefined ? undefined : this.state.board.get(options.replyTo);
    if (options.replyTo !== undefined && referenced === undefined) throw new Error(`The fake knows no message ${options.replyTo}.`);
    const botRoleId = this.state.world.guilds.find((guild) => guild.id === place.guildId)?.botRoleId;
    const mentionPrefix = options.mentionBot === "role" && botRoleId !== undefined ? `<@&${botRoleId}> ` : options.mentionBot === true ? `<@${bot.id}> ` : "";
    const mentions: FakeUser[] = options.mentionBot === true ? [bot] : [];
    // A reply pings the author of the message it replies to (Discord's default), so they are mentioned.
    const repliedAuthor = referenced?.fromBot === true ? bot : undefined;
    if (repliedAuthor !== undefined && !mentions.includes(repliedAuthor)) mentions.push(repliedAuthor);
    const payload = messagePayload({
      id: nextSnowflake(),
      ...place,
      author,
      content: `${mentionPrefix}${options.content}`,
      mentions,
      mentionRoles: options.mentionBot === "role" && botRoleId !== undefined ? [botRoleId] : [],
      attachments: options.attachments ?? [],
      ...(referenced === undefined ? {} : { referencedMessage: referenced.payload }),
      ...(options.flags === undefined ? {} : { flags: options.flags }),
    });
    this.state.board.add({ id: payload["id"] as string, channelId: place.channelId, fromBot: false, ephemeral: false, interactionToken: undefined, payload });
    const dispatchedAt = now();
    if (options.whileBotAway !== true) this.gateway.dispatch("MESSAGE_CREATE", payload);
    return { id: payload["id"] as string, channelId: place.channelId, payload, dispatchedAt };
  }

  private firstChannel(type: 0 | 11): string {
    const channel = this.state.world.guilds[0]?.channels.find((candidate) => candidate.type === type);
    if (channel === undefined) throw new Error(`The fake's first guild has no channel of type ${type}.`);
    return channel.id;
  }
}
