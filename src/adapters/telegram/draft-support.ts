/** Chats whose refusal is remembered at most; the oldest are tried again first. */
const maxRefusedChats = 10_000;

/** What a refused sendMessageDraft says about where drafts work. */
export type DraftRefusal =
  /** The Bot API server has no such method (404): no chat has drafts. */
  | "server"
  /** Telegram refused it for this chat (a 400: a chat or bot it is not offered to). */
  | "chat";

/**
 * Where this bot's replies may stream as drafts (sendMessageDraft). A server without the method
 * turns them off everywhere; a refusal for one chat turns them off for that chat only, so one
 * odd chat cannot cost every other chat its drafts.
 */
export class DraftSupport {
  private serverOffersDrafts = true;
  private readonly refusedChats = new Set<number>();
  private nextDraftId: number;

  /** Draft ids only need to differ between the drafts of one chat; see the adapter for the start. */
  constructor(firstDraftId: number) {
    this.nextDraftId = firstDraftId;
  }

  availableIn(chatId: number): boolean {
    return this.serverOffersDrafts && !this.refusedChats.has(chatId);
  }

  takeDraftId(): number {
    const draftId = this.nextDraftId;
    this.nextDraftId += 1;
    return draftId;
  }

  refused(chatId: number, refusal: DraftRefusal): void {
    if (refusal === "server") {
      this.serverOffersDrafts = false;
      return;
    }
    if (this.refusedChats.size >= maxRefusedChats) {
      const oldest = this.refusedChats.values().next();
      if (oldest.done !== true) this.refusedChats.delete(oldest.value);
    }
    this.refusedChats.add(chatId);
  }
}
