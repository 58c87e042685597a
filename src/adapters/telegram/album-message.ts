import type { Message, MessageEntity } from "grammy/types";
import { quotedMessage } from "./addressing.js";
import type { Album } from "./media-groups.js";

/**
 * An album as the one message its sender meant, so that the usual rules (addressing, commands,
 * mentions cut from the text) apply to it unchanged: the first item, which the answer replies
 * to, with the caption of the album and the reply of any item. Its files are every item's: see
 * toChatRequest's `filesFrom`.
 */
export function albumAsOneMessage(album: Album): Message {
  const [first] = album;
  const { caption: _caption, caption_entities: _entities, reply_to_message: _reply, ...rest } = first;
  const replying = album.find((item) => quotedMessage(item) !== undefined) ?? first;
  return {
    ...rest,
    ...joinedCaptions(album),
    ...(replying.reply_to_message === undefined ? {} : { reply_to_message: replying.reply_to_message }),
  };
}

/**
 * Clients put the album's caption on its first item, but some let every item carry one: none
 * of the user's words is dropped.
 */
function joinedCaptions(album: Album): Pick<Message, "caption" | "caption_entities"> {
  let caption = "";
  const entities: MessageEntity[] = [];
  for (const item of album) {
    if (item.caption === undefined || item.caption === "") continue;
    if (caption !== "") caption += "\n\n";
    // Entity offsets count UTF-16 code units, as JavaScript string lengths do.
    const offset = caption.length;
    entities.push(...(item.caption_entities ?? []).map((entity) => ({ ...entity, offset: entity.offset + offset })));
    caption += item.caption;
  }
  if (caption === "") return {};
  return entities.length === 0 ? { caption } : { caption, caption_entities: entities };
}
