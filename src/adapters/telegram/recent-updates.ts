/** Update ids remembered; Telegram numbers updates in order, so older ones never come back in practice. */
const maxRemembered = 10_000;

/**
 * The update ids this process has taken, so that an update delivered twice (a webhook post
 * Telegram sends again, a poll repeated after a lost answer) is answered once.
 */
export class RecentUpdates {
  private readonly seen = new Set<number>();

  /** True the first time an id is offered; false for every repeat. */
  takeFirst(updateId: number): boolean {
    if (this.seen.has(updateId)) return false;
    if (this.seen.size >= maxRemembered) {
      const oldest = this.seen.values().next();
      if (oldest.done !== true) this.seen.delete(oldest.value);
    }
    this.seen.add(updateId);
    return true;
  }

  /**
   * Lets an id through once more: an update this process received and left to the process that
   * claimed it is adopted here when that process dies before answering it.
   */
  forget(updateId: number): void {
    this.seen.delete(updateId);
  }
}
