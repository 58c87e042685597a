/**
 * When the Message Content intent is not enabled in the Developer Portal, Discord closes the
 * gateway with 4014. Mami logs one line saying how to enable it and runs without it.
 */
import { afterEach, describe, expect, it } from "vitest";
import { GatewayIntentBits } from "discord.js";
import { eventually, printLogsIfFailed, startDiscordFixture, type DiscordFixture } from "./discord-fixture.js";

let fixture: DiscordFixture | undefined;

afterEach(async (context) => {
  if (fixture !== undefined) printLogsIfFailed(context, fixture);
  await fixture?.close();
  fixture = undefined;
});

describe("Message Content intent refused (4014)", () => {
  it("logs one line on how to enable it, reconnects without it, and slash commands still work", async () => {
    fixture = await startDiscordFixture({ fake: { rejectMessageContentIntent: true } });
    const identifies = fixture.fake.identifies;
    expect(identifies.map((identify) => identify.rejected)).toEqual([true, false]);
    expect(identifies[1]!.intents & GatewayIntentBits.MessageContent).toBe(0);

    // One line, and nothing else alarming next to it.
    const hints = fixture.logs.filter((line) => line.level === "warn" || line.level === "error");
    expect(hints).toHaveLength(1);
    expect(hints[0]!.message).toContain("Message Content");
    expect(hints[0]!.message).not.toContain("\n");
    expect(hints[0]!.message).toMatch(/Developer Portal|discord\.com\/developers/);
    expect(hints[0]!.message).toMatch(/MESSAGE CONTENT INTENT/);

    const help = fixture.fake.runSlashCommand({ name: "help" });
    await eventually(() => fixture!.fake.visibleMessages(help.channelId).find((message) => message.interactionToken === help.token && message.content.includes("/ask")));
  });

  it("still answers DMs without the intent", async () => {
    fixture = await startDiscordFixture({ fake: { rejectMessageContentIntent: true } });
    fixture.harness.groq.setResponder(() => "Still reading DMs.");
    const direct = fixture.fake.sendDirectMessage({ content: "hello" });
    await eventually(() => fixture!.fake.visibleMessages(direct.channelId).find((message) => message.content === "Still reading DMs."));
  });
});
