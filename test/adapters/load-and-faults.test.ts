/**
 * The load run, small: 60 messages from 20 Telegram chats and 30 from 10 Discord users within
 * ten seconds, against free-tier limits, while Groq and both platforms fail now and then. Every
 * message must end with exactly one final reply the user can see; none may be lost. The full
 * run, with figures, is test/bench/load-and-faults.bench.test.ts.
 */
import { afterAll, describe, expect, it } from "vitest";
import { startDiscordFixture, type DiscordFixture } from "./discord/discord-fixture.js";
import { slowStreamingModels, startTelegramEndToEnd, type TelegramEndToEnd } from "./telegram/telegram-end-to-end.js";
import { discordFaults, groqFaults, telegramFaults, type Fault } from "../support/load/fault-schedule.js";
import { countOf, describeLoad, duplicated } from "../support/load/load-report.js";
import { loadResponder, planMessages } from "../support/load/load-plan.js";
import { runLoad, type LoadFigures } from "../support/load/load-run.js";
import { discordTarget, telegramTarget } from "../support/load/load-targets.js";
import { ReplyLedger } from "../support/load/reply-ledger.js";

/** Hangs cost a whole answer timeout (30 s): the bench has them, this quick run does not. */
function withoutHangs(faults: readonly Fault[]): Fault[] {
  return faults.filter((fault) => !fault.name.includes("hang"));
}

function expectEveryMessageSettledOnce(figures: LoadFigures): void {
  console.log(describeLoad(figures));
  expect(countOf(figures, "lost")).toBe(0);
  expect(countOf(figures, "shown_wrong")).toBe(0);
  expect(duplicated(figures)).toBe(0);
  // Faults cost a fallback or a wait, never an internal error.
  expect(countOf(figures, "other_error")).toBe(0);
  for (const record of figures.records) expect(record.finals === 1 || record.outcome === "apology").toBe(true);
  expect(countOf(figures, "answered")).toBeGreaterThan(0);
}

const settleLimitMs = 60_000;

describe("load with faults, small", () => {
  let telegram: TelegramEndToEnd | undefined;
  let discord: DiscordFixture | undefined;

  afterAll(async () => {
    await telegram?.close();
    await discord?.close();
  });

  it("Telegram: 60 messages from 20 chats, each ends with exactly one final reply", async () => {
    const planned = planMessages({ chats: 20, messagesPerChat: 3, spreadMs: 10_000, seed: 11 });
    const ledger = new ReplyLedger();
    telegram = await startTelegramEndToEnd({ harness: { models: slowStreamingModels(5) }, wrapCore: (mami) => ledger.wrap(mami) });
    telegram.harness.groq.setResponder(loadResponder(planned));
    const target = telegramTarget(telegram, ledger, 9_100_000 + Math.floor(Math.random() * 900) * 1_000);

    const figures = await runLoad(target, planned, {
      faults: [withoutHangs(groqFaults(telegram.harness.groq)), telegramFaults(telegram.telegram)],
      faultIntervalMs: 600,
      settleLimitMs,
    });

    expectEveryMessageSettledOnce(figures);
  }, 120_000);

  it("Discord: 30 messages from 10 users, each ends with exactly one final reply", async () => {
    const planned = planMessages({ chats: 10, messagesPerChat: 3, spreadMs: 10_000, seed: 12 });
    const ledger = new ReplyLedger();
    discord = await startDiscordFixture({ models: slowStreamingModels(5), wrapCore: (mami) => ledger.wrap(mami) });
    discord.harness.groq.setResponder(loadResponder(planned));
    const target = discordTarget(discord, ledger, 1_370_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 900)) * 1_000n);

    const figures = await runLoad(target, planned, {
      faults: [withoutHangs(groqFaults(discord.harness.groq)), discordFaults(discord.fake)],
      faultIntervalMs: 1_000,
      settleLimitMs,
    });

    expectEveryMessageSettledOnce(figures);
  }, 120_000);
});
