import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VisibleBotMessage } from "../../fakes/fake-telegram/index.js";
import { answerInParts } from "../../support/answer-in-parts.js";
import {
  freshGroupId,
  freshUserId,
  slowStreamingModels,
  startTelegramEndToEnd,
  waitUntil,
  type TelegramEndToEnd,
} from "./telegram-end-to-end.js";

/** About 10,000 characters: prose paragraphs and TypeScript code blocks, some long enough to be split. */
function longAnswerWithCode(): string {
  const sections: string[] = [];
  for (let section = 1; section <= 12; section += 1) {
    sections.push(
      `Step ${section} explains how the scheduler handles batch ${section}. It reads the queue, groups jobs by owner, and keeps the order in which they arrived so nobody waits twice.`,
    );
    const code = ["```ts"];
    const lines = section % 4 === 0 ? 40 : 12;
    for (let line = 1; line <= lines; line += 1) code.push(`const job${section}x${line} = await queue.take(${section * 100 + line}); // <keep & run>`);
    code.push("```");
    sections.push(code.join("\n"));
  }
  return sections.join("\n\n");
}

const answer = longAnswerWithCode();
const answerLines = new Set(contentLines(answer));
/** A code block in the question routes it to the code role, whose budget allows the longest answers. */
const question = "Walk me through the scheduler, with code for each step:\n```ts\nconst queue = new JobQueue();\n```";

function shownText(messages: readonly VisibleBotMessage[]): string {
  return messages.map((message) => message.text).join("\n");
}

function lastLineShown(messages: readonly VisibleBotMessage[], finalMarkdown: string): boolean {
  const lastLine = contentLines(finalMarkdown).filter((line) => answerLines.has(line)).at(-1) ?? "";
  return lastLine !== "" && shownText(messages).includes(lastLine);
}

function contentLines(markdown: string): string[] {
  return markdown
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("```"));
}

/** Every code line of a message must be inside a code block entity: fences were balanced in each part. */
function expectCodeInsideBlocks(message: VisibleBotMessage): void {
  const blocks = message.entities.filter((entity) => entity.type === "pre" || entity.type === "code");
  let offset = 0;
  for (const line of message.text.split("\n")) {
    if (line.startsWith("const job")) {
      const inside = blocks.some((entity) => entity.offset <= offset && offset + line.length <= entity.offset + entity.length);
      expect(inside, `code line outside a block: ${line}`).toBe(true);
    }
    offset += line.length + 1;
  }
}

/**
 * The core cuts an answer at its role's completion budget (code: 2,048 tokens, about 8,000
 * characters), so the reference is the core's final reply, not the responder's text: every line
 * of it is shown, once, in order, and nothing else of the answer.
 */
function expectWholeFinalReply(messages: readonly VisibleBotMessage[], finalMarkdown: string): void {
  expect(messages.length).toBeGreaterThanOrEqual(2);
  for (const message of messages) {
    expect(message.text.length).toBeLessThanOrEqual(4096);
    expect(message.parseMode).toBe("HTML");
    expectCodeInsideBlocks(message);
  }
  const visibleLines = messages.flatMap((message) => message.text.split("\n").map((line) => line.trim()));
  const expectedLines = contentLines(finalMarkdown).filter((line) => answerLines.has(line));
  expect(expectedLines.join("\n").length).toBeGreaterThan(4096);
  expect(visibleLines.filter((line) => answerLines.has(line))).toEqual(expectedLines);
}

describe("Telegram long answers", () => {
  let rig: TelegramEndToEnd;

  beforeAll(async () => {
    rig = await startTelegramEndToEnd({ harness: { models: slowStreamingModels(1) } });
    const inParts = answerInParts(answer);
    rig.harness.groq.setResponder((call) => (call.model.includes("guard") ? "safe" : inParts(call)));
  });

  afterAll(async () => {
    await rig.close();
  });

  it("splits a 10,000-character answer with code into messages within 4096, fences balanced, nothing lost (private chat, drafts)", async () => {
    expect(answer.length).toBeGreaterThan(9000);
    const { telegram } = rig;
    const chatId = freshUserId();
    const finalsBefore = rig.finals.length;
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: question });
    await waitUntil(() => rig.finals.length > finalsBefore, "the core's final reply", 30_000);
    const final = rig.finals[finalsBefore]!;
    expect(final.kind).toBe("answer");
    await waitUntil(() => telegram.messagesIn(chatId).length >= 2 && !shownText(telegram.messagesIn(chatId)).includes("▍"), "every part");
    // The last line of the reply is visible once the presenter is done.
    await waitUntil(() => lastLineShown(telegram.messagesIn(chatId), final.text), "the end of the reply");
    expectWholeFinalReply(telegram.messagesIn(chatId), final.text);
  });

  it("does the same in a group, where the reply is sent and edited while it streams", async () => {
    const { telegram } = rig;
    const chatId = freshGroupId();
    const finalsBefore = rig.finals.length;
    telegram.pushGroupMessage({ chatId, mention: true, text: question });
    await waitUntil(() => rig.finals.length > finalsBefore, "the core's final reply", 30_000);
    const final = rig.finals[finalsBefore]!;
    await waitUntil(() => lastLineShown(telegram.messagesIn(chatId), final.text) && !shownText(telegram.messagesIn(chatId)).includes("▍"), "every part", 30_000);
    expectWholeFinalReply(telegram.messagesIn(chatId), final.text);
    expect(telegram.calls.some((call) => call.method === "editMessageText" && Number(call.params["chat_id"]) === chatId)).toBe(true);
  });
});
