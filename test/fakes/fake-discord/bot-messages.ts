/** Builds and stores the messages the bot posts, through a channel or an interaction's webhook. */
import type { RecordedCall } from "./call-log.js";
import { ephemeralFlag, loadingFlag, type StoredMessage } from "./message-board.js";
import { messagePayload, type Json } from "./payloads.js";
import { nextSnowflake } from "./snowflakes.js";
import type { FakeDiscordState } from "./state.js";
import { findChannel } from "./world.js";

export interface PostedMessage {
  readonly channelId: string;
  readonly body: Record<string, unknown>;
  readonly interactionToken?: string;
  /** Extra payload fields (the webhook and interaction metadata of an interaction response). */
  readonly extra?: Json;
}

export function bodyFields(call: RecordedCall): Record<string, unknown> {
  return (typeof call.body === "object" && call.body !== null ? call.body : {}) as Record<string, unknown>;
}

/** The guild id and channel type Discord would put on a message in this channel. */
export function placeOfChannel(state: FakeDiscordState, channelId: string): { guildId: string | undefined; channelType: number } {
  const found = findChannel(state.world, channelId);
  if (found !== undefined) return { guildId: found.guild.id, channelType: found.channel.type };
  return { guildId: undefined, channelType: 1 };
}

export function isKnownChannel(state: FakeDiscordState, channelId: string): boolean {
  return findChannel(state.world, channelId) !== undefined || state.directMessageChannels.has(channelId);
}

export function postBotMessage(state: FakeDiscordState, posted: PostedMessage): StoredMessage {
  const { guildId, channelType } = placeOfChannel(state, posted.channelId);
  const reference = posted.body["message_reference"] as { message_id?: string } | undefined;
  const referenced = reference?.message_id === undefined ? undefined : state.board.get(reference.message_id);
  const flags = Number(posted.body["flags"] ?? 0);
  const payload = messagePayload({
    id: nextSnowflake(),
    channelId: posted.channelId,
    guildId,
    channelType,
    author: state.world.bot,
    content: typeof posted.body["content"] === "string" ? posted.body["content"] : "",
    flags,
    ...(referenced === undefined ? {} : { referencedMessage: referenced.payload }),
    ...(posted.extra === undefined ? {} : { extra: posted.extra }),
  });
  // A bot's own message carries no `member` in REST answers.
  delete payload["member"];
  delete payload["channel_type"];
  return state.board.add({
    id: payload["id"] as string,
    channelId: posted.channelId,
    fromBot: true,
    ephemeral: (flags & ephemeralFlag) !== 0,
    interactionToken: posted.interactionToken,
    payload,
  });
}

/** Applies an edit's fields to a stored message, as Discord does. */
export function editBotMessage(message: StoredMessage, body: Record<string, unknown>): Json {
  const changes: Json = { edited_timestamp: new Date().toISOString() };
  if (typeof body["content"] === "string") changes["content"] = body["content"];
  // The first edit of a deferred response replaces "thinking..." with the text.
  const flags = body["flags"] !== undefined ? Number(body["flags"]) : Number(message.payload["flags"] ?? 0);
  changes["flags"] = flags & ~loadingFlag;
  if (body["components"] !== undefined) changes["components"] = body["components"];
  message.payload = { ...message.payload, ...changes };
  return message.payload;
}
