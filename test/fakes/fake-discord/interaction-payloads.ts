/** INTERACTION_CREATE payloads: slash commands, autocomplete and message context-menu commands. */
import { channelPayload, directMessageChannelPayload, memberPayload, userPayload, type Json } from "./payloads.js";
import type { FakeChannel, FakeGuild, FakeUser } from "./world.js";

export interface InteractionPlace {
  /** Absent for a DM. */
  readonly guild: FakeGuild | undefined;
  readonly channel: FakeChannel | undefined;
  readonly channelId: string;
  readonly user: FakeUser;
  /** The member's permissions in the channel, Discord's bit field as a string; default all. */
  readonly permissions?: string;
  /** The language of the user's Discord client ("tr", "es-ES"); default "en-US". */
  readonly locale?: string;
}

export interface InteractionFields {
  readonly id: string;
  readonly token: string;
  readonly applicationId: string;
  /** 2 application command, 4 autocomplete. */
  readonly type: 2 | 4;
  readonly data: Json;
  readonly place: InteractionPlace;
}

const allPermissions = "2251799813685247";

export function interactionPayload(fields: InteractionFields): Json {
  const { guild, channel, user } = fields.place;
  const inGuild = guild !== undefined && channel !== undefined;
  return {
    id: fields.id,
    application_id: fields.applicationId,
    type: fields.type,
    token: fields.token,
    version: 1,
    data: fields.data,
    channel_id: fields.place.channelId,
    channel: inGuild ? channelPayload(guild, channel) : directMessageChannelPayload(fields.place.channelId, user),
    ...(inGuild
      ? { guild_id: guild.id, member: { ...memberPayload(user), permissions: fields.place.permissions ?? allPermissions }, guild_locale: guild.preferredLocale ?? "en-US" }
      : { user: userPayload(user) }),
    app_permissions: allPermissions,
    locale: fields.place.locale ?? "en-US",
    entitlements: [],
    // 0 guild install, 1 user install; context 0 guild, 1 the bot's DM.
    authorizing_integration_owners: inGuild ? { "0": guild.id } : { "1": user.id },
    context: inGuild ? 0 : 1,
    attachment_size_limit: 10 * 1024 * 1024,
  };
}

/** Option types on the wire: 3 string, 11 attachment. */
export type CommandOptionValue = { readonly name: string; readonly value: string; readonly type?: 3 | 11 };

export function chatInputData(
  commandId: string,
  name: string,
  options: readonly CommandOptionValue[],
  attachments: readonly Json[],
): Json {
  const resolvedAttachments = Object.fromEntries(attachments.map((attachment) => [attachment["id"], attachment]));
  return {
    id: commandId,
    name,
    type: 1,
    options: options.map((option) => ({ name: option.name, type: option.type ?? 3, value: option.value })),
    ...(attachments.length === 0 ? {} : { resolved: { attachments: resolvedAttachments } }),
  };
}

export function autocompleteData(commandId: string, name: string, optionName: string, typed: string): Json {
  return { id: commandId, name, type: 1, options: [{ name: optionName, type: 3, value: typed, focused: true }] };
}

export function messageContextMenuData(commandId: string, name: string, target: Json): Json {
  const targetId = target["id"] as string;
  return { id: commandId, name, type: 3, target_id: targetId, resolved: { messages: { [targetId]: target } } };
}
