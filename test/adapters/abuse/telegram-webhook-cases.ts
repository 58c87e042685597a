/** Posts to the webhook that did not come from Telegram, or came twice. */
import { expect } from "vitest";
import { maximumWebhookBodyBytes } from "../../../src/adapters/telegram/webhook-server.js";
import { eventually } from "../../support/eventually.js";
import type { AbuseCase } from "./abuse-case.js";
import { rawPost } from "./raw-post.js";
import { ordinaryAnswer, ordinaryQuestion } from "./scripted-model.js";
import { freshTag, type TelegramWebhookRig } from "./telegram-rig.js";

type WebhookCase = AbuseCase<TelegramWebhookRig, "webhook">;

let forgedUpdateId = 990_000_000;

/** What a forger would post: a plausible private message carrying `marker`. */
function forgedUpdate(marker: string, padding = 0): string {
  forgedUpdateId += 1;
  const chatId = 6_600_000 + (forgedUpdateId % 1_000);
  return JSON.stringify({
    update_id: forgedUpdateId,
    message: {
      message_id: 1,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: "private", first_name: "Mallory" },
      from: { id: chatId, is_bot: false, first_name: "Mallory" },
      text: ordinaryQuestion(marker),
      ...(padding === 0 ? {} : { padding: "x".repeat(padding) }),
    },
  });
}

/** The model was never asked about `marker`. Checked after the sentinel, so anything taken up would have run. */
function neverAsked(rig: TelegramWebhookRig, marker: string): void {
  expect(rig.harness.groq.calls.filter((call) => JSON.stringify(call.body ?? "").includes(marker))).toEqual([]);
}

function refusedPost(name: string, post: (rig: TelegramWebhookRig, marker: string) => Promise<number>, status: number): WebhookCase {
  return {
    name,
    theme: "forged updates",
    async run(rig) {
      const marker = freshTag("forged");
      expect(await post(rig, marker)).toBe(status);
      await rig.expectAnswered();
      neverAsked(rig, marker);
      return "webhook";
    },
  };
}

export const telegramWebhookCases: readonly WebhookCase[] = [
  refusedPost("a post without the secret header is refused (401) and never answered", (rig, marker) => rawPost(rig.port, { path: rig.path, body: forgedUpdate(marker) }), 401),
  refusedPost("a post with a wrong secret is refused (403) and never answered", (rig, marker) => rawPost(rig.port, { path: rig.path, secret: `${rig.secret}x`, body: forgedUpdate(marker) }), 403),
  refusedPost("a post to another path is refused (404) and never answered", (rig, marker) => rawPost(rig.port, { path: "/admin", secret: rig.secret, body: forgedUpdate(marker) }), 404),
  refusedPost("a body over the cap is refused (413) and never answered", (rig, marker) => rawPost(rig.port, { path: rig.path, secret: rig.secret, body: forgedUpdate(marker, maximumWebhookBodyBytes) }), 413),
  {
    name: "an update delivered twice is answered once",
    theme: "forged updates",
    async run(rig) {
      const tag = freshTag("twice");
      const chatId = 7_800_000 + Number(tag.split("-")[1]);
      const sent = rig.telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: ordinaryQuestion(tag) });
      const answered = () => rig.telegram.messagesIn(chatId).filter((message) => message.text === ordinaryAnswer(tag));
      await eventually(() => answered().length === 1, `the answer to #${tag}`);
      const delivered = rig.telegram.webhookDeliveries().at(-1)!;
      // Telegram sends the same update again, as it does when it missed the first acknowledgement.
      expect(await rawPost(rig.port, { path: rig.path, secret: rig.secret, body: JSON.stringify({ update_id: delivered.updateId, message: sent }) })).toBe(200);
      await rig.expectAnswered();
      expect(answered()).toHaveLength(1);
      expect(rig.harness.groq.calls.filter((call) => call.status === 200 && JSON.stringify(call.body ?? "").includes(`#${tag}`))).toHaveLength(1);
      return "webhook";
    },
  },
];
