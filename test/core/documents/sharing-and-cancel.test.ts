/**
 * A reading shares the models with everyone else, and stops when asked: on virtual time against
 * the free-tier fake (support/virtual-time.ts).
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ReplyEvent } from "../../../src/core/reply.js";
import { bytesAttachment, chatRequest } from "../../support/chat-request.js";
import { chatCalls, collectReply, kindOf, liveTextModels, startDocumentRig, type DocumentRig } from "../../support/documents/document-rig.js";
import { longDocumentPages } from "../../support/documents/long-document.js";
import { makePdf } from "../../support/make-pdf.js";
import { answerOf, errorOf, noticeOf } from "../../support/reply-kinds.js";

const launchCode = { asks: /launch code/i, sentence: "The launch code of project Heron is 7Q-ALPHA-22." };
const reportPdf = makePdf(longDocumentPages({ tokens: 60_000, facts: [{ page: 12, sentence: launchCode.sentence }] }));
const reader = { platform: "cli" as const, chatId: "reader", kind: "private" as const };

function documentQuestion() {
  return chatRequest("What is the launch code of project Heron?", { location: reader, attachments: [bytesAttachment("report.pdf", "application/pdf", reportPdf)] });
}

let rig: DocumentRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe("while a document is read", () => {
  it("answers ordinary messages from other chats within their usual time, never queued behind the parts", async () => {
    rig = await startDocumentRig({ facts: [launchCode] });
    const { mami } = rig.harness;
    const now = (): number => rig!.time.clock.now();
    // An ordinary request of some size (about 1,000 tokens, a chat answer's budget on top): room in
    // a model's minute for it is what the reading must leave.
    const note = "The quarterly shipping figures held steady across the northern routes while costs rose a little. ".repeat(41);
    const small = (chatId: string) => chatRequest(`Please sum this note up in one line: ${note}`, { location: { platform: "cli", chatId, kind: "private" } });
    // The same message with nothing else going on: its usual time.
    const usual = await rig.time.drive(collectReply(mami.reply(small("before")), now));
    const startedAt = now();
    const reading = collectReply(mami.reply(documentQuestion()), now);
    const during = [5_000, 30_000, 62_000, 95_000, 125_000, 150_000].map((offset, index) => rig!.time.at(startedAt + offset, () => collectReply(mami.reply(small(`chat-${index}`)), now)));
    const [document, ...ordinary] = await rig.time.drive(Promise.all([reading, ...during]));
    expect(answerOf(document.final).text).toContain("7Q-ALPHA-22");
    expect(ordinary).toHaveLength(6);
    for (const reply of ordinary) {
      const answer = answerOf(reply.final);
      expect(answer.queuedMs).toBe(0);
      expect(reply.ms).toBeLessThanOrEqual(usual.ms + 1_000);
    }
    // The messages were served while parts were still being read, not after.
    const lastPartAt = Math.max(...chatCalls(rig.groq).filter((call) => kindOf(call) === "notes").map((call) => call.at));
    expect(lastPartAt - startedAt).toBeGreaterThan(150_000);
  }, 60_000);
});

describe("/cancel", () => {
  it("stops the reading: nothing more is sent, nothing stays queued or reserved beyond what Groq itself counted", async () => {
    rig = await startDocumentRig({ facts: [launchCode] });
    const { mami } = rig.harness;
    const now = (): number => rig!.time.clock.now();
    const events: ReplyEvent[] = [];
    let callsAtCancel = 0;
    let cancelReply: Promise<string> | undefined;
    const reading = (async () => {
      for await (const event of mami.reply(documentQuestion())) {
        events.push(event);
        // Stopped once the first parts are read and the next wait for quota has begun.
        if (cancelReply === undefined && event.type === "progress" && /: [1-9]\d* of \d+ parts/.test(event.notice)) {
          callsAtCancel = chatCalls(rig.groq).length;
          const cancel = chatRequest("/cancel", { location: reader, addressedBy: "command", command: { name: "cancel", options: {} } });
          cancelReply = collectReply(mami.reply(cancel), now).then((reply) => noticeOf(reply.final).text);
        }
      }
    })();
    await rig.time.drive(reading);
    expect(await cancelReply).toContain("Stopping the reading of `report.pdf`");
    const final = events.at(-1);
    expect(final?.type).toBe("final");
    if (final?.type !== "final") return;
    expect(errorOf(final.reply).text).toMatch(/^Stopped reading `report\.pdf` after \d+ of \d+ parts/);
    expect(chatCalls(rig.groq).length).toBe(callsAtCancel);
    expect(mami.queueLength()).toBe(0);
    // Mami holds no more of any model's minute than Groq itself counts (its estimate's margin at most).
    const status = await mami.modelStatus();
    for (const model of liveTextModels) {
      const row = status.find((candidate) => candidate.model === model);
      const heldByMami = 8_000 - (row?.quota?.tokensPerMinuteRemaining ?? 0);
      const countedByGroq = rig.groq.usage(model).tokensLastMinute;
      expect(heldByMami, model).toBeLessThanOrEqual(Math.ceil(countedByGroq * 1.1));
    }
    // A minute later every model's minute is whole again.
    await rig.time.clock.advance(61_000);
    for (const row of (await mami.modelStatus()).filter((candidate) => liveTextModels.includes(candidate.model as (typeof liveTextModels)[number]))) {
      expect(row.quota?.tokensPerMinuteRemaining, row.model).toBe(8_000);
    }
  }, 60_000);

  it("stops a reading while its parts are on their way, and says when there is nothing to stop", async () => {
    rig = await startDocumentRig({ facts: [launchCode] });
    const { mami } = rig.harness;
    const now = (): number => rig!.time.clock.now();
    const cancel = () => chatRequest("/cancel", { location: reader, addressedBy: "command", command: { name: "cancel", options: {} } });
    expect(noticeOf((await collectReply(mami.reply(cancel()), now)).final).text).toMatch(/^Nothing to stop/);
    let stopped: readonly string[] = [];
    const reading = (async () => {
      const events: ReplyEvent[] = [];
      for await (const event of mami.reply(documentQuestion())) {
        events.push(event);
        // The first progress comes as the first parts go out, before any answer is in.
        if (stopped.length === 0 && event.type === "progress") stopped = mami.cancelReadings(cancel());
      }
      return events;
    })();
    const events = await rig.time.drive(reading);
    expect(stopped).toEqual(["`report.pdf`"]);
    const final = events.at(-1);
    expect(final?.type === "final" ? final.reply.text : "").toMatch(/^Stopped reading `report\.pdf` after 0 of \d+ parts/);
    expect(chatCalls(rig.groq).filter((call) => kindOf(call) === "answer")).toEqual([]);
    await rig.time.clock.advance(61_000);
    for (const row of (await mami.modelStatus()).filter((candidate) => liveTextModels.includes(candidate.model as (typeof liveTextModels)[number]))) {
      expect(row.quota?.tokensPerMinuteRemaining, row.model).toBe(8_000);
    }
  }, 60_000);
});
