/**
 * A document too large for every model, read in parts across every live model's quota at once,
 * against the fake Groq with free-tier limits (8,000 tokens a minute per text model). Time is
 * virtual (support/virtual-time.ts): the clock Mami and the fake share jumps ahead
 * whenever nothing is on the wire, so six minutes of quota windows take seconds, and Mami's
 * minute and Groq's never drift apart.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnswerReply } from "../../../src/core/reply.js";
import { bytesAttachment, chatRequest } from "../../support/chat-request.js";
import { chatCalls, collectReply, kindOf, liveTextModels, startDocumentRig, userTextOf, type DocumentRig } from "../../support/documents/document-rig.js";
import { longDocumentPages } from "../../support/documents/long-document.js";
import { makePdf } from "../../support/make-pdf.js";
import { answerOf } from "../../support/reply-kinds.js";

const launchCode = { asks: /launch code/i, sentence: "The launch code of project Heron is 7Q-ALPHA-22." };
const budgetOwner = { asks: /budget/i, sentence: "The Heron budget was approved by Dana Whitfield." };

describe("a 120,000-token PDF whose answer sits in one part", () => {
  let rig: DocumentRig;
  const pages = longDocumentPages({ tokens: 120_000, facts: [{ page: 37, sentence: launchCode.sentence }, { page: 38, sentence: budgetOwner.sentence }] });
  const pdf = makePdf(pages);
  const location = { platform: "cli" as const, chatId: "reader", kind: "private" as const };
  let first: { reply: AnswerReply; events: number; progress: readonly string[]; calls: number } | undefined;

  beforeAll(async () => {
    rig = await startDocumentRig({ facts: [launchCode, budgetOwner] });
    const request = chatRequest("What is the launch code of project Heron?", { location, attachments: [bytesAttachment("report.pdf", "application/pdf", pdf)] });
    const collected = await rig.time.drive(collectReply(rig.harness.mami.reply(request), () => rig.time.clock.now()));
    first = {
      reply: answerOf(collected.final),
      events: collected.events.length,
      progress: collected.events.flatMap((event) => (event.type === "progress" ? [event.notice] : [])),
      calls: chatCalls(rig.groq).length,
    };
  }, 120_000);
  afterAll(async () => {
    await rig.close();
  });

  it("answers from the part that holds the answer, citing its page", () => {
    expect(first?.reply.text).toContain("7Q-ALPHA-22");
    expect(first?.reply.text).toContain("p. 37");
    expect(first?.reply.role).toBe("long_context");
  });

  it("never earns a provider 429", () => {
    const refused = chatCalls(rig.groq).filter((call) => call.status === 429);
    expect(refused).toEqual([]);
  });

  it("charges the reader's day every token the reading cost: the parts, the answer, every model", async () => {
    const served = liveTextModels.reduce((total, model) => total + rig.groq.usage(model).tokensToday, 0);
    const charged = (await rig.harness.mami.usageToday(chatRequest("", { location }))).tokens;
    expect(served).toBeGreaterThan(100_000);
    // Mami counts what each call reported; the fake counts the same calls (a little apart on cached prompts).
    expect(charged).toBeGreaterThanOrEqual(0.95 * served);
    expect(charged).toBeLessThanOrEqual(1.05 * served);
  });

  it("spreads the parts over every live text model", () => {
    const notesCalls = chatCalls(rig.groq).filter((call) => call.status === 200 && kindOf(call) === "notes");
    expect(notesCalls.length).toBeGreaterThanOrEqual(15);
    for (const model of liveTextModels) expect(notesCalls.filter((call) => call.model === model).length, model).toBeGreaterThan(1);
    // Every page was read, once: the parts together are the whole document.
    const read = notesCalls.map((call) => userTextOf(call));
    for (const page of [1, 37, 80, pages.length]) expect(read.filter((text) => text.includes(`[page ${page}]`)), `page ${page}`).toHaveLength(1);
  });

  it("combines the parts' notes into one answer, in the document's order", () => {
    const answers = chatCalls(rig.groq).filter((call) => call.status === 200 && kindOf(call) === "answer");
    expect(answers).toHaveLength(1);
    const prompt = userTextOf(answers[0]!);
    expect(prompt).toMatch(/\[Part \d+ · pages? [\d–]+\]\nThe launch code of project Heron is 7Q-ALPHA-22\. \[p\. 37\]/);
    const listed = [...prompt.matchAll(/parts? ([\d–, ]+)\./g)].flatMap((match) => (match[1] ?? "").split(/[–, ]+/).filter((number) => number !== "").map(Number));
    expect(listed.length).toBeGreaterThan(0);
    expect(listed).toEqual([...listed].sort((a, b) => a - b));
    // One reply: progress in one message, then the answer in its place.
    expect(rig.harness.finals.filter((reply) => reply.kind === "answer")).toHaveLength(1);
  });

  it("shows progress: parts read of the total, and about how long is left", () => {
    const progress = first?.progress ?? [];
    expect(progress.length).toBeGreaterThan(3);
    expect(progress[0]).toMatch(/^📖 Reading `report\.pdf`: 0 of (\d+) parts, about \d+ (seconds|minutes) left\.$/);
    expect(progress.some((notice) => /: [1-9]\d* of \d+ parts/.test(notice))).toBe(true);
  });

  it("reads only what it must for a follow-up question: the stored parts, fewer calls", async () => {
    const before = chatCalls(rig.groq).length;
    const followUp = chatRequest("Who approved the Heron budget?", {
      location,
      replyTo: { messageId: "answer", authorName: "Mami", fromBot: true, text: first?.reply.text ?? "", attachments: [] },
    });
    const collected = await rig.time.drive(collectReply(rig.harness.mami.reply(followUp), () => rig.time.clock.now()));
    const calls = chatCalls(rig.groq).slice(before);
    expect(answerOf(collected.final).text).toContain("Dana Whitfield");
    const firstReadingCalls = first?.calls ?? 0;
    process.stdout.write(`[documents] first reading: ${firstReadingCalls} calls; follow-up on the stored parts: ${calls.length} calls (${calls.map(kindOf).join(", ")})\n`);
    expect(calls.filter((call) => kindOf(call) === "selection")).toHaveLength(1);
    expect(calls.length).toBeLessThan(firstReadingCalls / 3);
    expect(calls.filter((call) => call.status === 429)).toEqual([]);
  }, 60_000);

  it("answers the same question about the same document again without reading a part", async () => {
    const before = chatCalls(rig.groq).length;
    const again = chatRequest("what is the launch code of project Heron", { location: { ...location, chatId: "another-reader" }, attachments: [bytesAttachment("copy.pdf", "application/pdf", pdf)] });
    const collected = await rig.time.drive(collectReply(rig.harness.mami.reply(again), () => rig.time.clock.now()));
    expect(answerOf(collected.final).text).toContain("7Q-ALPHA-22");
    expect(chatCalls(rig.groq).slice(before).map(kindOf)).toEqual(["answer"]);
  }, 60_000);
});
