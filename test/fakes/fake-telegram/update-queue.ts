import { BotApiError } from "./bot-api-error.js";
import type { TelegramUpdate } from "./wire-types.js";

export interface Webhook {
  readonly url: string;
  readonly secretToken: string | undefined;
}

export interface TakeUpdatesOptions {
  readonly offset: number | undefined;
  readonly limit: number | undefined;
  readonly timeoutSeconds: number | undefined;
  /** Tests cap the long-poll hold so a stopping bot never waits Telegram's full 30 s. */
  readonly holdCapMs: number;
  /** Aborts when the client went away, so the held request is forgotten. */
  readonly signal: AbortSignal;
}

/**
 * Pending updates, handed out by getUpdates with Telegram's semantics (an offset confirms every
 * update below it; an empty queue holds the request open), or posted to a webhook once one is set.
 */
export class UpdateQueue {
  private pending: TelegramUpdate[] = [];
  private nextUpdateId = 100_001;
  private readonly wakeUps = new Set<() => void>();
  private webhook: Webhook | undefined;
  readonly webhookDeliveries: { readonly updateId: number; readonly status: number }[] = [];

  push(kind: string, payload: unknown): TelegramUpdate {
    const update: TelegramUpdate = { update_id: this.nextUpdateId, [kind]: payload };
    this.nextUpdateId += 1;
    if (this.webhook !== undefined) {
      void this.deliver(this.webhook, update);
      return update;
    }
    this.pending.push(update);
    for (const wakeUp of this.wakeUps) wakeUp();
    return update;
  }

  setWebhook(webhook: Webhook | undefined, dropPendingUpdates: boolean): void {
    this.webhook = webhook;
    if (dropPendingUpdates) this.pending = [];
    if (webhook !== undefined) {
      const waiting = this.pending;
      this.pending = [];
      for (const update of waiting) void this.deliver(webhook, update);
    }
  }

  webhookInfo(): { url: string; has_custom_certificate: false; pending_update_count: number } {
    return { url: this.webhook?.url ?? "", has_custom_certificate: false, pending_update_count: this.pending.length };
  }

  async take(options: TakeUpdatesOptions): Promise<TelegramUpdate[]> {
    if (this.webhook !== undefined) {
      throw new BotApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    if (options.offset !== undefined && options.offset > 0) {
      const offset = options.offset;
      this.pending = this.pending.filter((update) => update.update_id >= offset);
    }
    const holdMs = Math.min((options.timeoutSeconds ?? 0) * 1000, options.holdCapMs);
    if (this.pending.length === 0 && holdMs > 0) await this.waitForPush(holdMs, options.signal);
    const limit = Math.min(Math.max(options.limit ?? 100, 1), 100);
    return this.pending.slice(0, limit);
  }

  private waitForPush(holdMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.wakeUps.delete(finish);
        signal.removeEventListener("abort", finish);
        resolve();
      };
      const timer = setTimeout(finish, holdMs);
      this.wakeUps.add(finish);
      signal.addEventListener("abort", finish, { once: true });
    });
  }

  /** Telegram retries a webhook that does not answer 2xx; the fake tries three times. */
  private async deliver(webhook: Webhook, update: TelegramUpdate): Promise<void> {
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      try {
        const response = await fetch(webhook.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(webhook.secretToken === undefined ? {} : { "x-telegram-bot-api-secret-token": webhook.secretToken }),
          },
          body: JSON.stringify(update),
        });
        await response.arrayBuffer();
        this.webhookDeliveries.push({ updateId: update.update_id, status: response.status });
        if (response.ok) return;
      } catch {
        this.webhookDeliveries.push({ updateId: update.update_id, status: 0 });
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
