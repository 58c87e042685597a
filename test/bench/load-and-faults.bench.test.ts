/**
 * `npm run bench`: the hardening issue's load run. 500 messages from 100 Telegram chats and 200
 * from 40 Discord users, each within a minute, against a fake Groq with free-tier limits, while
 * faults are dealt out every 1.5 s: Groq 500 and 503, hangs past the answer timeout, reset
 * connections, streams cut mid-answer, unreadable bodies, missing and garbled rate-limit
 * headers; Telegram 429s and 5xx on sends and edits and failing polls; Discord's gateway dropped
 * without a close frame and REST 429s. Mami runs with its default queue wait (60 s).
 *
 * Every message must end with exactly one final reply the user can see (the answer, a "busy"
 * reply, or the adapter's apology when the platform will not show it), none lost. Printed:
 * answered, told busy, provider 429s, resident memory at the end, event-loop delay p99.
 *
 * Then, with the bot otherwise idle (after five ordinary files, so its code is warm as in a bot
 * that has been running), the PDF bomb and the newline file through the Telegram adapter, end
 * to end: the event loop must never stall for more than 100 ms while they are read.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterAll, expect, it } from "vitest";
import { startDiscordFixture, type DiscordFixture } from "../adapters/discord/discord-fixture.js";
import { slowStreamingModels, startTelegramEndToEnd, type TelegramEndToEnd } from "../adapters/telegram/telegram-end-to-end.js";
import { newlineFile, pdfTextBomb } from "../adapters/abuse/hostile-files.js";
import { discordFaults, groqFaults, telegramFaults } from "../support/load/fault-schedule.js";
import { countOf, describeLoad, duplicated } from "../support/load/load-report.js";
import { loadResponder, planMessages } from "../support/load/load-plan.js";
import { runLoad, type LoadFigures } from "../support/load/load-run.js";
import { discordTarget, telegramTarget } from "../support/load/load-targets.js";
import { ReplyLedger } from "../support/load/reply-ledger.js";
import { eventually } from "../support/eventually.js";

/** Mami's own default, not the tests' short one. */
const productionQueueWait = { MAX_QUEUE_WAIT_SECONDS: "60" };
/** Models stream a piece every 10 ms: answers take one to three seconds to arrive. */
const models = slowStreamingModels(10);
const faultIntervalMs = 1_500;
/** After the last message: the queue wait, a hang's answer timeout, and the rest of an answer. */
const settleLimitMs = 240_000;

let telegram: TelegramEndToEnd | undefined;
let discord: DiscordFixture | undefined;

afterAll(async () => {
  await telegram?.close();
  await discord?.close();
});

function expectNothingLost(figures: LoadFigures): void {
  process.stdout.write(`\n${describeLoad(figures)}\n`);
  expect(countOf(figures, "lost")).toBe(0);
  expect(countOf(figures, "shown_wrong")).toBe(0);
  expect(duplicated(figures)).toBe(0);
}

it("Telegram: 500 messages from 100 chats within a minute, with faults: each gets exactly one final reply", async () => {
  const planned = planMessages({ chats: 100, messagesPerChat: 5, spreadMs: 60_000, seed: 2026 });
  const ledger = new ReplyLedger();
  telegram = await startTelegramEndToEnd({ harness: { models, env: productionQueueWait }, wrapCore: (mami) => ledger.wrap(mami) });
  telegram.harness.groq.setResponder(loadResponder(planned));

  const figures = await runLoad(telegramTarget(telegram, ledger, 9_300_000), planned, {
    faults: [groqFaults(telegram.harness.groq), telegramFaults(telegram.telegram)],
    faultIntervalMs,
    settleLimitMs,
  });

  expectNothingLost(figures);
});

it("Discord: 200 messages from 40 users within a minute, with faults: each gets exactly one final reply", async () => {
  const planned = planMessages({ chats: 40, messagesPerChat: 5, spreadMs: 60_000, seed: 2027 });
  const ledger = new ReplyLedger();
  discord = await startDiscordFixture({ models, env: productionQueueWait, wrapCore: (mami) => ledger.wrap(mami) });
  discord.harness.groq.setResponder(loadResponder(planned));

  const figures = await runLoad(discordTarget(discord, ledger, 1_380_000_000_000_000_000n), planned, {
    faults: [groqFaults(discord.harness.groq), discordFaults(discord.fake)],
    faultIntervalMs,
    settleLimitMs,
  });

  expectNothingLost(figures);
});

it("reads the PDF bomb and the newline file through the Telegram adapter without stalling the event loop for 100 ms", async () => {
  const rig = await startTelegramEndToEnd();
  rig.harness.groq.setResponder(() => "Read it.");
  const files = [
    { label: `newline file (${(newlineFile.byteLength / 1024 / 1024).toFixed(1)} MB of line breaks)`, fileName: "lines.txt", mimeType: "text/plain", bytes: newlineFile },
    { label: `PDF bomb (${Math.round(pdfTextBomb.byteLength / 1024)} KB, 8.8 MB of text)`, fileName: "bomb.pdf", mimeType: "application/pdf", bytes: pdfTextBomb },
  ];
  try {
    // A bot that has been running: its code is compiled and warm, as when a bomb really arrives.
    for (let index = 0; index < 5; index += 1) {
      const chatId = 9_900_050 + index;
      const warmUp = rig.telegram.pushPrivateMessage({ chatId, from: { id: chatId }, caption: "and this?", document: { fileName: "notes.txt", mimeType: "text/plain", bytes: new TextEncoder().encode("A few notes.\n".repeat(2_000)) } });
      await eventually(() => rig.telegram.messagesIn(chatId).some((message) => message.replyToMessageId === warmUp.message_id), "the warm-up answer", 30_000);
    }
    for (const [index, file] of files.entries()) {
      const chatId = 9_900_000 + index;
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      const startedAt = performance.now();
      const sent = rig.telegram.pushPrivateMessage({ chatId, from: { id: chatId }, caption: "what is in it?", document: { fileName: file.fileName, mimeType: file.mimeType, bytes: file.bytes } });
      const reply = await eventually(() => rig.telegram.messagesIn(chatId).find((message) => message.replyToMessageId === sent.message_id)?.text, "a reply", 60_000);
      const tookMs = performance.now() - startedAt;
      // One more turn of the sampling timer, so that a stall lasting to the end is recorded.
      await new Promise((resolve) => setTimeout(resolve, 30));
      delay.disable();
      const maxStallMs = Math.max(0, delay.max / 1e6 - 10);
      const p99StallMs = Math.max(0, delay.percentile(99) / 1e6 - 10);
      process.stdout.write(`\n[bench] ${file.label}: replied in ${tookMs.toFixed(0)} ms ("${reply.slice(0, 60)}…"); event-loop stall p99 ${p99StallMs.toFixed(0)} ms, max ${maxStallMs.toFixed(0)} ms\n`);
      expect(maxStallMs).toBeLessThan(100);
    }
  } finally {
    await rig.close();
  }
});
