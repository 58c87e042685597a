/**
 * Keeps the messages of one channel in order on their way to the core. Turning a message into a
 * request may wait for Discord (the message it replies to, when discord.js has not cached it);
 * a later message of the channel must not reach the core first meanwhile, since the core answers
 * each user's and each conversation's messages in the order they reach it. Only that short step
 * is in order: the answers themselves are the core's to schedule.
 */
export class IntakeOrder {
  /** Per channel: settles once the last message taken in there has reached the core. */
  private readonly lastOfChannel = new Map<string, Promise<void>>();

  /** Runs `takeIn` once every earlier `takeIn` of the channel has finished; returns its result. */
  async inOrder<Result>(channelId: string, takeIn: () => Promise<Result>): Promise<Result> {
    const earlier = this.lastOfChannel.get(channelId);
    let finished = (): void => undefined;
    const mine = new Promise<void>((resolve) => (finished = resolve));
    this.lastOfChannel.set(channelId, mine);
    try {
      await earlier;
      return await takeIn();
    } finally {
      if (this.lastOfChannel.get(channelId) === mine) this.lastOfChannel.delete(channelId);
      finished();
    }
  }
}
