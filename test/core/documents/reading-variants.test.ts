/**
 * What decides whether and how a document is read in parts: the models' real limits, the
 * reading's own limits, a long text pasted into a message, and notes too long for one answer.
 * On virtual time against the free-tier fake (support/virtual-time.ts).
 */
import { afterEach, describe, expect, it } from "vitest";
import { bytesAttachment, chatRequest } from "../../support/chat-request.js";
import { chatCalls, collectReply, kindOf, startDocumentRig, type DocumentRig } from "../../support/documents/document-rig.js";
import { longDocumentPages } from "../../support/documents/long-document.js";
import { freeTierModels } from "../../fakes/fake-groq/index.js";
import { makePdf } from "../../support/make-pdf.js";
import { answerOf, errorOf } from "../../support/reply-kinds.js";

const launchCode = { asks: /launch code/i, sentence: "The launch code of project Heron is 7Q-ALPHA-22." };
const question = "What is the launch code of project Heron?";

function textFile(tokens: number, page = 12): ReturnType<typeof bytesAttachment> {
  const text = longDocumentPages({ tokens, facts: [{ page, sentence: launchCode.sentence }] }).join("\n\n");
  return bytesAttachment("report.md", "text/markdown", new TextEncoder().encode(text));
}

let rig: DocumentRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function ask(request: ReturnType<typeof chatRequest>) {
  const current = rig!;
  return current.time.drive(collectReply(current.harness.mami.reply(request), () => current.time.clock.now()));
}

describe("the models' real limits decide", () => {
  it("sends a document that fits one model whole, as before", async () => {
    const paidTier = freeTierModels.map((model) => (model.id === "openai/gpt-oss-120b" ? { ...model, tokensPerMinute: 250_000 } : model));
    rig = await startDocumentRig({ facts: [launchCode], models: paidTier });
    const reply = await ask(chatRequest(question, { attachments: [textFile(40_000)] }));
    expect(answerOf(reply.final).model).toBe("openai/gpt-oss-120b");
    const answered = chatCalls(rig.groq).filter((call) => call.status === 200);
    expect(answered.map(kindOf)).toEqual(["other"]);
    expect(reply.events.some((event) => event.type === "progress")).toBe(false);
  }, 60_000);

  it("splits less where the headers show a larger minute (a paid tier)", async () => {
    const largerMinute = freeTierModels.map((model) => (["openai/gpt-oss-120b", "openai/gpt-oss-20b", "qwen/qwen3.6-27b"].includes(model.id) ? { ...model, tokensPerMinute: 60_000 } : model));
    rig = await startDocumentRig({ facts: [launchCode], models: largerMinute });
    const reply = await ask(chatRequest(question, { attachments: [textFile(150_000, 120)] }));
    expect(answerOf(reply.final).text).toContain("7Q-ALPHA-22");
    const parts = chatCalls(rig.groq).filter((call) => call.status === 200 && kindOf(call) === "notes");
    // The free tier's 8,000 a minute would take about 25 parts; once the headers tell each
    // model's real minute, parts grow to fill it.
    expect(parts.length).toBeLessThanOrEqual(8);
    expect(Math.max(...parts.map((call) => call.tokens?.upFront ?? 0))).toBeGreaterThan(20_000);
  }, 60_000);

  it("reads in parts after the first try on guessed limits earns 413s, with the safety screen on (the default)", async () => {
    // A fresh process knows no model's limits from headers yet: the ordinary path tries the
    // document whole (a paid tier would take it), screening it first; every model answers 413.
    // The safety models' calls must not hide that every answer model was too small.
    rig = await startDocumentRig({ facts: [launchCode], env: { SAFETY: "input" } });
    const reply = await ask(chatRequest(question, { attachments: [textFile(40_000)] }));
    expect(answerOf(reply.final).text).toContain("7Q-ALPHA-22");
    const calls = chatCalls(rig.groq);
    expect(calls.filter((call) => call.status === 413).length).toBeGreaterThan(0);
    expect(calls.filter((call) => call.status === 200 && kindOf(call) === "notes").length).toBeGreaterThan(3);
  }, 60_000);
});

describe("a reading's own limits, refused with the figures", () => {
  it("refuses a document that would take longer than DOCUMENT_MAX_READING_SECONDS", async () => {
    rig = await startDocumentRig({ facts: [launchCode], env: { DOCUMENT_MAX_READING_SECONDS: "60" } });
    const reply = await ask(chatRequest(question, { attachments: [textFile(60_000)] }));
    expect(errorOf(reply.final).text).toMatch(/^`report\.md` is about [\d,]+ tokens\. Reading it would take about \d+ (seconds|minutes) with the quota the models have now, and I read one document for at most 60 seconds\./);
    expect(chatCalls(rig.groq).filter((call) => kindOf(call) === "notes")).toEqual([]);
  }, 60_000);

  it("refuses a document that would use more than DOCUMENT_MAX_DAY_PERCENT of what the models have left today", async () => {
    rig = await startDocumentRig({ facts: [launchCode], env: { DOCUMENT_MAX_DAY_PERCENT: "5" } });
    const reply = await ask(chatRequest(question, { attachments: [textFile(60_000)] }));
    expect(errorOf(reply.final).text).toMatch(/^Reading `report\.md` would use about [\d,]+ tokens, more than 5% of the 600,000 tokens the models have left today\./);
    expect(chatCalls(rig.groq).filter((call) => kindOf(call) === "notes")).toEqual([]);
  }, 60_000);

  it("refuses a document larger than what the user has left of USER_DAILY_TOKENS", async () => {
    rig = await startDocumentRig({ facts: [launchCode], env: { USER_DAILY_TOKENS: "20000" } });
    const reply = await ask(chatRequest(question, { attachments: [textFile(60_000)] }));
    expect(errorOf(reply.final).text).toMatch(/would use about [\d,]+ tokens, and you have 20,000 left today/);
  }, 60_000);

  it("says so when a PDF has no text layer", async () => {
    rig = await startDocumentRig({ facts: [launchCode] });
    const scanned = bytesAttachment("scan.pdf", "application/pdf", makePdf(["", ""]));
    const reply = await ask(chatRequest(question, { attachments: [scanned] }));
    expect(errorOf(reply.final).text).toContain("has no text layer");
  }, 60_000);
});

describe("what is read", () => {
  it("reads a long text pasted into the message, its first paragraph the question", async () => {
    const incident = { asks: /gate/i, sentence: "The north gate was closed at 04:10 by the night shift." };
    rig = await startDocumentRig({ facts: [incident] });
    const body = longDocumentPages({ tokens: 30_000, facts: [{ page: 4, sentence: incident.sentence }] }).join("\n\n");
    const reply = await ask(chatRequest(`When was the north gate closed, going by this log?\n\n${body}`));
    expect(answerOf(reply.final).text).toContain("04:10");
    const notes = chatCalls(rig.groq).filter((call) => kindOf(call) === "notes");
    expect(notes.length).toBeGreaterThan(3);
    expect(reply.events.find((event) => event.type === "progress")).toMatchObject({ notice: expect.stringMatching(/^📖 Reading your text: 0 of \d+ parts/) });
  }, 60_000);

  it("combines notes too long for one answer in rounds, keeping the document's order", async () => {
    // Five facts on every page, all on the question: every part's notes fill their budget.
    const facts = Array.from({ length: 800 }, (_, index) => ({
      page: 1 + Math.floor(index / 5),
      sentence: `Incident ${String(index + 1).padStart(3, "0")}: a badge fault logged at the north gate.`,
    }));
    rig = await startDocumentRig({ facts: facts.map((fact) => ({ asks: /incident/i, sentence: fact.sentence })) });
    const pages = longDocumentPages({ tokens: 100_000, facts });
    const reply = await ask(chatRequest("List every incident in the gate logs.", { attachments: [bytesAttachment("gates.pdf", "application/pdf", makePdf(pages))] }));
    const calls = chatCalls(rig.groq).filter((call) => call.status === 200);
    expect(calls.filter((call) => kindOf(call) === "merge").length).toBeGreaterThan(1);
    const answer = answerOf(reply.final).text;
    const numbers = [...answer.matchAll(/Incident (\d{3})/g)].map((match) => Number(match[1]));
    expect(numbers.length).toBeGreaterThan(5);
    expect(numbers).toEqual([...numbers].sort((first, second) => first - second));
  }, 120_000);
});
