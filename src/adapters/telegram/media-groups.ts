import type { Context, MiddlewareFn } from "grammy";
import type { Message } from "grammy/types";
import type { Clock } from "../../core/ports/clock.js";

/**
 * Telegram sends an album (photos or files sent together) as one message per item, sharing a
 * `media_group_id`, usually a few hundred milliseconds apart. There is no "last item" marker:
 * an album is taken as complete once no item came for a quiet period, and at the latest after
 * a cap, so that a stalled upload cannot hold the chat for long.
 */
export interface MediaGroupTiming {
  readonly quietMs: number;
  readonly maxWaitMs: number;
}

export const mediaGroupTiming: MediaGroupTiming = { quietMs: 600, maxWaitMs: 2000 };

/** At least one message: the item that opened the album. */
export type Album = readonly [Message, ...Message[]];

const albums = new WeakMap<Context, Album>();

/** The album an update stands for (oldest item first), or undefined for a message of its own. */
export function albumOf(context: Context): Album | undefined {
  return albums.get(context);
}

function oldestFirst(items: Album): Album {
  // Items can be handled a little out of order; their message ids are in the order they were sent.
  const [oldest = items[0], ...others] = [...items].sort((first, second) => first.message_id - second.message_id);
  return [oldest, ...others];
}

interface CollectingAlbum {
  readonly items: [Message, ...Message[]];
  readonly openedAt: number;
  lastItemAt: number;
}

/** A message that is an item of an album, with the key of its album. */
function albumItemOf(context: Context, chat: string): { readonly message: Message; readonly albumKey: string } | undefined {
  const message = context.message;
  if (message?.media_group_id === undefined) return undefined;
  return { message, albumKey: `${chat}:${message.media_group_id}` };
}

/**
 * Merges each album into the update of its first item; the updates of the other items end here.
 *
 * It must run before the per-chat `sequentialize`: the first item waits for the others, and
 * would wait for ever if it held the chat's queue they have to pass through. Waiting out here
 * would let later messages of the chat overtake the album, so every update of a chat with an
 * album still open waits for it, and enters the queue after it, in the order they came.
 *
 * `chatOf` must be the key sequentialize uses, so that "the chat" means the same queue.
 */
export function collectMediaGroups(
  clock: Clock,
  chatOf: (context: Context) => string | undefined,
  timing: MediaGroupTiming = mediaGroupTiming,
): MiddlewareFn<Context> {
  const openAlbums = new Map<string, CollectingAlbum>();
  // Per chat: settles once the last update held back in that chat went on to the queue.
  const chatsHeldBack = new Map<string, Promise<void>>();

  async function untilComplete(album: CollectingAlbum): Promise<void> {
    // Each item that arrives meanwhile moves the end of the quiet period: sleep again until then.
    for (;;) {
      const end = Math.min(album.lastItemAt + timing.quietMs, album.openedAt + timing.maxWaitMs);
      const remaining = end - clock.now();
      if (remaining <= 0) return;
      await clock.sleep(remaining);
    }
  }

  /** Calls `goOn` once `ready` settled and every update held back before this one went on. */
  async function holdBack(chat: string, ready: Promise<void> | undefined, goOn: () => Promise<void>): Promise<void> {
    const earlier = chatsHeldBack.get(chat);
    let wentOn = (): void => undefined;
    const held = new Promise<void>((resolve) => (wentOn = resolve));
    chatsHeldBack.set(chat, held);
    await Promise.all([earlier, ready]);
    if (chatsHeldBack.get(chat) === held) chatsHeldBack.delete(chat);
    let handled: Promise<void>;
    try {
      // next() takes the update's place in the chat's queue synchronously: only then may the
      // updates held back behind it follow.
      handled = goOn();
    } finally {
      wentOn();
    }
    await handled;
  }

  return async (context, next) => {
    const chat = chatOf(context);
    if (chat === undefined) return next();
    const item = albumItemOf(context, chat);
    if (item === undefined) {
      // The usual case, and the only cost for chats without an open album: straight on.
      return chatsHeldBack.has(chat) ? holdBack(chat, undefined, next) : next();
    }
    const openAlbum = openAlbums.get(item.albumKey);
    if (openAlbum !== undefined) {
      openAlbum.items.push(item.message);
      openAlbum.lastItemAt = clock.now();
      return;
    }
    const album: CollectingAlbum = { items: [item.message], openedAt: clock.now(), lastItemAt: clock.now() };
    openAlbums.set(item.albumKey, album);
    return holdBack(chat, untilComplete(album), () => {
      // Closed before it goes on: an item arriving from now on opens an album of its own.
      openAlbums.delete(item.albumKey);
      albums.set(context, oldestFirst(album.items));
      return next();
    });
  };
}
