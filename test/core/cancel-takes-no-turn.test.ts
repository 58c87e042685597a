/**
 * The core's gate runs one request per user at a time, but `/cancel` stops the user's own
 * request under way (a document being read): it must not wait in the gate behind it.
 */
import { afterEach, expect, it } from "vitest";
import { freeTierModels } from "../fakes/fake-groq/index.js";
import { chatRequest } from "../support/chat-request.js";
import { startMamiHarness, type MamiHarness } from "../support/mami-harness.js";
import { RecordingSurface } from "../support/recording-surface.js";

let harness: MamiHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

it("answers a user's /cancel while their own answer is still streaming, before that answer ends", async () => {
  // Every chunk held back 20 ms: the answer below streams for seconds.
  harness = await startMamiHarness({ models: freeTierModels.map((model) => ({ ...model, chunkDelayMs: 20 })) });
  harness.groq.setResponder(() => "A long answer that goes on. ".repeat(60).trim());
  const order: string[] = [];

  const answering = harness.mami.receive(chatRequest("tell me a long story"), new RecordingSurface()).then((reply) => {
    order.push(`answer: ${reply.kind}`);
    return reply;
  });
  const cancel = chatRequest("/cancel", { addressedBy: "command", command: { name: "cancel", options: {} } });
  const cancelled = await harness.mami.receive(cancel, new RecordingSurface());
  order.push(`cancel: ${cancelled.text}`);

  await answering;
  expect(order).toEqual(["cancel: Nothing to stop: I'm not reading a document for you here.", "answer: answer"]);
});

it("still runs the same user's ordinary messages one after another", async () => {
  harness = await startMamiHarness({ models: freeTierModels.map((model) => ({ ...model, chunkDelayMs: 20 })) });
  harness.groq.setResponder((call) => (JSON.stringify(call.messages).includes("first") ? "First answer. ".repeat(30).trim() : "Second answer."));
  const order: string[] = [];

  const first = harness.mami.receive(chatRequest("first question"), new RecordingSurface()).then(() => order.push("first"));
  const second = harness.mami.receive(chatRequest("second question"), new RecordingSurface()).then(() => order.push("second"));
  await Promise.all([first, second]);

  expect(order).toEqual(["first", "second"]);
});
