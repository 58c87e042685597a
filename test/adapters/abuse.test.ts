/**
 * The abuse suite: bad input and abuse across both adapters, each case asserting the bot's reply
 * (or refusal) and then that the next ordinary message is answered, so the process is alive and
 * well after it. Cases are written in test/adapters/abuse/; each names the theme it attacks.
 */
import { afterAll, beforeAll, describe, it } from "vitest";
import { discordCases } from "./abuse/discord-cases.js";
import { startDiscordAbuseRig, type DiscordAbuseRig } from "./abuse/discord-rig.js";
import { telegramCases } from "./abuse/telegram-cases.js";
import { startTelegramAbuseRig, startTelegramWebhookRig, type TelegramAbuseRig, type TelegramWebhookRig } from "./abuse/telegram-rig.js";
import { telegramWebhookCases } from "./abuse/telegram-webhook-cases.js";

const caseTimeoutMs = 90_000;

describe("abuse: Telegram, long polling", () => {
  let rig: TelegramAbuseRig;
  beforeAll(async () => {
    rig = await startTelegramAbuseRig();
  });
  afterAll(async () => {
    await rig.close();
  });

  it.each(telegramCases)("[$theme] $name", async (abuse) => {
    const next = await abuse.run(rig);
    await rig.expectAnswered(next);
  }, caseTimeoutMs);
});

describe("abuse: Telegram, webhook", () => {
  let rig: TelegramWebhookRig;
  beforeAll(async () => {
    rig = await startTelegramWebhookRig();
  });
  afterAll(async () => {
    await rig.close();
  });

  it.each(telegramWebhookCases)("[$theme] $name", async (abuse) => {
    await abuse.run(rig);
    await rig.expectAnswered();
  }, caseTimeoutMs);
});

describe("abuse: Discord", () => {
  let rig: DiscordAbuseRig;
  beforeAll(async () => {
    rig = await startDiscordAbuseRig();
  });
  afterAll(async () => {
    await rig.close();
  });

  it.each(discordCases)("[$theme] $name", async (abuse) => {
    const next = await abuse.run(rig);
    await rig.expectAnswered(next);
  }, caseTimeoutMs);
});
