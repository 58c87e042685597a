/**
 * Discord latency, measured over the real discord.js client, the real core and the fakes:
 * - acknowledgement: from an interaction's dispatch down the gateway to its callback (deferReply)
 *   arriving at the fake Discord; Discord forgets an interaction not acknowledged within 3 s;
 * - first visible text: from the first content delta of Groq's stream reaching the adapter to
 *   the first message with text arriving at the fake Discord; this is what users feel.
 * Both ends are read on the same clock (`performance.now()`, one process).
 */
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Mami } from "../../src/core/mami.js";
import { eventually, startDiscordFixture, type DiscordFixture } from "../adapters/discord/discord-fixture.js";
import { freeTierModels } from "../fakes/fake-groq/index.js";
import { observeReplies } from "../support/observed-core.js";
import { reportLatency } from "../support/statistics.js";

const samples = 20;
const firstDeltaAt = new Map<string, number>();

/** The core as the adapter sees it, noting when each request's first answer text went to the surface. */
function timingFirstDelta(mami: Mami): Mami {
  return observeReplies(mami, {
    onFirstPart: (request) => {
      if (!firstDeltaAt.has(request.messageId)) firstDeltaAt.set(request.messageId, performance.now());
    },
  });
}

let fixture: DiscordFixture;

beforeAll(async () => {
  // Quota is not what this measures: limits high enough that every request is answered by a stream.
  const roomyModels = freeTierModels.map((model) => ({ ...model, requestsPerMinute: 10_000, tokensPerMinute: 10_000_000 }));
  fixture = await startDiscordFixture({ wrapCore: timingFirstDelta, models: roomyModels });
  fixture.harness.groq.setResponder((call) => `An answer of a few sentences for call with ${call.messages.length} messages. It streams in small pieces, as Groq's does.`);
});

afterAll(async () => {
  await fixture.close();
});

describe("Discord latency", () => {
  it(`acknowledges interactions well inside Discord's 3 s (${samples} /ask commands)`, async () => {
    const delays: number[] = [];
    for (let index = 0; index < samples; index += 1) {
      const ask = fixture.fake.runSlashCommand({ name: "ask", options: { prompt: `question ${index}` } });
      const callback = await fixture.fake.waitForCall("POST", `/interactions/${ask.id}/${ask.token}/callback`);
      delays.push(callback.at - ask.dispatchedAt);
      // One at a time, so each measurement is of an idle bot, as a user's usually is.
      await eventually(() => fixture.fake.visibleMessages(ask.channelId).find((message) => message.interactionToken === ask.token && !message.pending));
    }
    const { p95 } = reportLatency("Discord interaction acknowledgement (dispatch → deferReply callback)", delays);
    expect(p95).toBeLessThan(3_000);
  });

  it(`shows the first text soon after the first token (${samples} mentions)`, async () => {
    const delays: number[] = [];
    for (let index = 0; index < samples; index += 1) {
      const mention = fixture.fake.sendGuildMessage({ content: `tell me something ${index}`, mentionBot: true });
      const firstMessage = await fixture.fake.waitForCall(
        "POST",
        `/channels/${mention.channelId}/messages`,
        (call) => (call.body as { message_reference?: { message_id?: string } }).message_reference?.message_id === mention.id,
        10_000,
      );
      const deltaAt = firstDeltaAt.get(mention.id);
      expect(deltaAt).toBeDefined();
      delays.push(firstMessage.at - deltaAt!);
      // The short answer has landed by then; the next mention finds the bot idle.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const { p95 } = reportLatency("Discord first visible text (first content delta → first message posted)", delays);
    expect(p95).toBeLessThan(1_000);
  });
});
