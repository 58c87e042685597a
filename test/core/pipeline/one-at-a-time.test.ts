/**
 * The core's gate through `mami.receive`, as both adapters use it: each conversation and each
 * user one request at a time, a user's surplus told at once to wait, and nobody else held up.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { PartOptions } from "../../../src/core/presentation/reply-surface.js";
import type { FinalReply } from "../../../src/core/reply.js";
import type { ChatRequest } from "../../../src/core/request.js";
import { chatRequest } from "../../support/chat-request.js";
import { eventually } from "../../support/eventually.js";
import { startMamiHarness, type MamiHarness } from "../../support/mami-harness.js";
import { RecordingSurface } from "../../support/recording-surface.js";
import { answerOf, errorOf } from "../../support/reply-kinds.js";

/** A surface whose first part does not land until the test lets it: its request stays running. */
class HeldSurface extends RecordingSurface {
  private letGo = (): void => undefined;
  private readonly released = new Promise<void>((resolve) => (this.letGo = resolve));
  sendingStarted = false;

  release(): void {
    this.letGo();
  }

  override async sendPart(markdown: string, options: PartOptions): Promise<string> {
    this.sendingStarted = true;
    await this.released;
    return super.sendPart(markdown, options);
  }
}

function privateMessage(user: string, text: string): ChatRequest {
  return chatRequest(text, { location: { platform: "telegram", chatId: user, kind: "private" }, author: { id: user, name: user, isBot: false }, addressedBy: "private" });
}

function groupMessage(user: string, text: string, messageId: string, replyToBotMessage?: string): ChatRequest {
  return chatRequest(text, {
    location: { platform: "telegram", chatId: "-100777", kind: "group" },
    author: { id: user, name: user, isBot: false },
    messageId,
    addressedBy: replyToBotMessage === undefined ? "mention" : "reply",
    ...(replyToBotMessage === undefined ? {} : { replyTo: { messageId: replyToBotMessage, fromBot: true, authorName: "Mami", text: "…", attachments: [] } }),
  });
}

/** The user texts of the answered chat calls, in the order Groq got them. */
function askedInOrder(harness: MamiHarness): string[] {
  return harness.groq.calls
    .filter((call) => call.path.endsWith("/chat/completions") && call.status === 200)
    .map((call) => {
      const messages = (call.body as { messages: { role: string; content: unknown }[] }).messages;
      return String(messages.at(-1)?.content);
    });
}

let harness: MamiHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("one request at a time per conversation and per user", () => {
  it("answers a user's waiting messages in order, and tells the one beyond the allowance at once to wait", async () => {
    harness = await startMamiHarness({ env: { MAX_WAITING_PER_USER: "3" } });
    harness.groq.setResponder((call) => `Answer to ${String((call.messages.at(-1) as { content: unknown }).content)}`);
    const held = new HeldSurface();
    const first = harness.mami.receive(privateMessage("ada", "message 1"), held);
    await eventually(() => held.sendingStarted, "the first answer to be on its way");
    const waiting = [2, 3, 4].map((index) => harness!.mami.receive(privateMessage("ada", `message ${index}`), new RecordingSurface()));
    const beyond = new RecordingSurface();

    const refused = errorOf(await harness.mami.receive(privateMessage("ada", "message 5"), beyond));
    const refusedInTurkish = errorOf(await harness.mami.receive({ ...privateMessage("ada", "mesaj 6"), locale: "tr" }, new RecordingSurface()));

    expect(refused.failure).toBe("busy");
    expect(beyond.shownText).toBe(refused.text);
    expect(refused.text).toMatch(/one at a time/i);
    expect(refusedInTurkish.text).toMatch(/Lütfen tek tek/);
    held.release();
    const answers = [await first, ...(await Promise.all(waiting))].map((reply) => answerOf(reply).text);
    expect(answers).toEqual(["Answer to message 1", "Answer to message 2", "Answer to message 3", "Answer to message 4"]);
    expect(askedInOrder(harness)).toEqual(["message 1", "message 2", "message 3", "message 4"]);
  });

  it("answers other users while one user's request runs", async () => {
    harness = await startMamiHarness();
    const held = new HeldSurface();
    const slow = harness.mami.receive(privateMessage("ada", "a long question"), held);
    await eventually(() => held.sendingStarted, "Ada's answer to be on its way");

    answerOf(await harness.mami.receive(privateMessage("grace", "a quick one"), new RecordingSurface()));

    held.release();
    answerOf(await slow);
  });

  it("in a group, runs separate conversations side by side and holds a reply behind its own conversation", async () => {
    harness = await startMamiHarness();
    // The bot's answer about owls is message 500: replies to it continue that conversation.
    answerOf(await harness.mami.receive(groupMessage("ada", "tell me about owls", "10"), new RecordingSurface({ firstMessageId: 500 })));
    const held = new HeldSurface();
    const adaFollowsUp = harness.mami.receive(groupMessage("ada", "what do owls eat?", "11", "500"), held);
    await eventually(() => held.sendingStarted, "Ada's follow-up answer to be on its way");
    let graceAnswered: FinalReply | undefined;
    const graceFollowsUp = harness.mami.receive(groupMessage("grace", "how long do they live?", "12", "500"), new RecordingSurface()).then((final) => (graceAnswered = final));

    answerOf(await harness.mami.receive(groupMessage("linus", "and cats?", "13"), new RecordingSurface()));
    expect(graceAnswered).toBeUndefined();

    held.release();
    answerOf(await adaFollowsUp);
    answerOf(await graceFollowsUp);
    const graceCall = harness.groq.calls.filter((call) => call.path.endsWith("/chat/completions") && call.status === 200).at(-1)!;
    expect(JSON.stringify(graceCall.body)).toContain("what do owls eat?");
    const asked = askedInOrder(harness);
    expect(asked).toHaveLength(4);
    ["tell me about owls", "what do owls eat?", "and cats?", "how long do they live?"].forEach((text, index) => expect(asked[index]).toContain(text));
  });

  it("ends a request still waiting for its turn with the restart note when the stop's signal aborts", async () => {
    harness = await startMamiHarness();
    const stopping = new AbortController();
    const held = new HeldSurface();
    const running = harness.mami.receive(privateMessage("ada", "first"), held, { signal: stopping.signal });
    await eventually(() => held.sendingStarted, "the first answer to be on its way");
    const waitingSurface = new RecordingSurface();
    const waiting = harness.mami.receive(privateMessage("ada", "second"), waitingSurface, { signal: stopping.signal });

    stopping.abort(new Error("Mami is stopping"));

    const stopped = errorOf(await waiting);
    expect(stopped.failure).toBe("stopped");
    expect(waitingSurface.shownText).toBe(stopped.text);
    held.release();
    await running;
    expect(askedInOrder(harness)).toEqual(["first"]);
  });

  it("refuses someone not allowed before the gate: a flood of theirs takes nobody's place", async () => {
    harness = await startMamiHarness({ env: { ALLOWED_USERS: "tg:ada", MAX_WAITING_PER_USER: "1" } });
    const refusals = await Promise.all(Array.from({ length: 10 }, (_, index) => harness!.mami.receive(privateMessage("mallory", `spam ${index}`), new RecordingSurface())));

    expect(refusals.map((reply) => errorOf(reply).failure)).toEqual(Array.from({ length: 10 }, () => "not_allowed"));
    answerOf(await harness.mami.receive(privateMessage("ada", "hello"), new RecordingSurface()));
  });
});
