/**
 * The JSON shapes Discord sends, as small builders. Only the fields discord.js reads are filled,
 * but each of those is present, since discord.js crashes or drops an event when one is missing.
 */
import type { ShardIdentity } from "./shard-routing.js";
import type { FakeChannel, FakeGuild, FakeUser, FakeWorld } from "./world.js";

export type Json = Record<string, unknown>;

/** Everything an administrator may do; discord.js only reads it, the fake never checks it. */
const allPermissions = "2251799813685247";
const joinedAt = "2024-01-01T00:00:00.000Z";

export function userPayload(user: FakeUser): Json {
  return {
    id: user.id,
    username: user.username,
    discriminator: "0",
    global_name: user.globalName ?? null,
    avatar: null,
    bot: user.bot ?? false,
  };
}

export function memberPayload(user: FakeUser, roles: readonly string[] = []): Json {
  return { user: userPayload(user), nick: null, roles, joined_at: joinedAt, deaf: false, mute: false, flags: 0 };
}

export function channelPayload(guild: FakeGuild, channel: FakeChannel): Json {
  const common = { id: channel.id, type: channel.type, guild_id: guild.id, name: channel.name, flags: 0 };
  if (channel.type === 11) {
    return {
      ...common,
      parent_id: channel.parentId ?? null,
      owner_id: guild.id,
      message_count: 0,
      member_count: 1,
      rate_limit_per_user: 0,
      thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: joinedAt, locked: false },
    };
  }
  return { ...common, position: 0, permission_overwrites: [], parent_id: null, topic: null, nsfw: false, rate_limit_per_user: 0 };
}

export function directMessageChannelPayload(channelId: string, recipient: FakeUser): Json {
  return { id: channelId, type: 1, recipients: [userPayload(recipient)], last_message_id: null, flags: 0 };
}

export interface ReadySession {
  readonly gatewayUrl: string;
  readonly sessionId: string;
  /** Echoed from IDENTIFY; [0, 1] when it sent none. */
  readonly shard: ShardIdentity;
  /** The guilds of the session's shard, listed as unavailable until their GUILD_CREATE. */
  readonly guilds: readonly FakeGuild[];
}

export function readyPayload(world: FakeWorld, session: ReadySession): Json {
  return {
    v: 10,
    user: { ...userPayload(world.bot), bot: true, verified: true, flags: 0 },
    guilds: session.guilds.map((guild) => ({ id: guild.id, unavailable: true })),
    session_id: session.sessionId,
    resume_gateway_url: session.gatewayUrl,
    shard: [...session.shard],
    application: { id: world.applicationId, flags: 0 },
    private_channels: [],
    presences: [],
    relationships: [],
  };
}

export function guildCreatePayload(world: FakeWorld, guild: FakeGuild): Json {
  const textChannels = guild.channels.filter((channel) => channel.type !== 11);
  const threads = guild.channels.filter((channel) => channel.type === 11);
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    owner_id: world.user.id,
    unavailable: false,
    large: false,
    member_count: 3,
    joined_at: joinedAt,
    features: [],
    emojis: [],
    stickers: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    premium_tier: 0,
    preferred_locale: guild.preferredLocale ?? "en-US",
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    system_channel_flags: 0,
    roles: [
      // The @everyone role has the guild's id.
      rolePayload(guild.id, "@everyone", allPermissions, undefined),
      rolePayload(guild.botRoleId, world.bot.username, allPermissions, world.bot.id),
    ],
    channels: textChannels.map((channel) => channelPayload(guild, channel)),
    threads: threads.map((channel) => channelPayload(guild, channel)),
    members: [memberPayload(world.bot, [guild.botRoleId]), memberPayload(world.user), memberPayload(world.otherUser)],
  };
}

function rolePayload(id: string, name: string, permissions: string, botId: string | undefined): Json {
  return {
    id,
    name,
    color: 0,
    hoist: false,
    position: botId === undefined ? 0 : 1,
    permissions,
    managed: botId !== undefined,
    mentionable: false,
    flags: 0,
    ...(botId === undefined ? {} : { tags: { bot_id: botId } }),
  };
}

export interface AttachmentPayload extends Json {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type?: string;
}

export interface MessageFields {
  readonly id: string;
  readonly channelId: string;
  readonly guildId: string | undefined;
  /** 0 guild text, 1 DM, 11 thread: discord.js needs it to see a DM at all. */
  readonly channelType: number;
  readonly author: FakeUser;
  readonly content: string;
  readonly mentions?: readonly FakeUser[];
  readonly mentionRoles?: readonly string[];
  readonly attachments?: readonly Json[];
  readonly referencedMessage?: Json;
  /** 8192 (IS_VOICE_MESSAGE) marks a voice message. */
  readonly flags?: number;
  readonly extra?: Json;
}

export function messagePayload(fields: MessageFields): Json {
  const reference =
    fields.referencedMessage === undefined
      ? {}
      : {
          message_reference: {
            type: 0,
            message_id: fields.referencedMessage["id"],
            channel_id: fields.channelId,
            ...(fields.guildId === undefined ? {} : { guild_id: fields.guildId }),
          },
          referenced_message: fields.referencedMessage,
        };
  return {
    id: fields.id,
    channel_id: fields.channelId,
    ...(fields.guildId === undefined ? {} : { guild_id: fields.guildId, member: memberPayload(fields.author) }),
    channel_type: fields.channelType,
    author: userPayload(fields.author),
    content: fields.content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: (fields.mentions ?? []).map(userPayload),
    mention_roles: fields.mentionRoles ?? [],
    attachments: fields.attachments ?? [],
    embeds: [],
    components: [],
    pinned: false,
    // 19 is a reply, 0 an ordinary message.
    type: fields.referencedMessage === undefined ? 0 : 19,
    flags: fields.flags ?? 0,
    ...reference,
    ...fields.extra,
  };
}
