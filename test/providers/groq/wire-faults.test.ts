/**
 * Groq misbehaving on the wire, through the real groq-sdk and core: each fault on the first model
 * costs the user nothing but a fallback, and the model's quota as Mami sees it stays sane.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InjectedFailure } from "../../fakes/fake-groq/index.js";
import { chatRequest } from "../../support/chat-request.js";
import { startMamiHarness, type MamiHarness } from "../../support/mami-harness.js";
import { RecordingSurface } from "../../support/recording-surface.js";
import { answerOf } from "../../support/reply-kinds.js";

const firstModel = "openai/gpt-oss-120b";

let harness: MamiHarness;

// A fresh core each time: a model's strikes from one fault must not decide the next case.
beforeEach(async () => {
  harness = await startMamiHarness();
  harness.groq.setResponder(() => "Still answered.");
});

afterEach(async () => {
  await harness.close();
});

const faults: { readonly name: string; readonly failure: InjectedFailure }[] = [
  { name: "a connection reset before any answer", failure: { kind: "reset" } },
  { name: "a 200 whose body is not readable", failure: { kind: "malformed_body" } },
  { name: "a 500", failure: { kind: "status", status: 500 } },
  { name: "a 503", failure: { kind: "status", status: 503 } },
  { name: "a stream cut after a few pieces", failure: { kind: "drop_stream", afterChunks: 3 } },
];

describe("Groq faults on the wire", () => {
  it.each(faults)("$name: the answer comes from the next model", async ({ failure }) => {
    const before = harness.groq.calls.length;
    harness.groq.inject(firstModel, failure);
    const surface = new RecordingSurface();

    const answer = answerOf(await harness.mami.receive(chatRequest("hello there"), surface));

    expect(answer.text).toContain("answered.");
    expect(surface.shownText).toBe(answer.text);
    expect(harness.groq.calls.slice(before).some((call) => call.model === firstModel && call.injected === failure.kind)).toBe(true);
  });

  it.each(["missing", "garbled"] as const)("rate-limit headers %s: answered, and the model is still chosen next time", async (headers) => {
    harness.groq.inject(firstModel, { kind: "rate_limit_headers", headers });

    answerOf(await harness.mami.receive(chatRequest("first"), new RecordingSurface()));
    const before = harness.groq.calls.length;
    answerOf(await harness.mami.receive(chatRequest("second"), new RecordingSurface()));

    expect(harness.groq.calls.slice(before).filter((call) => call.path.endsWith("/chat/completions")).map((call) => call.model)).toContain(firstModel);
  });
});
