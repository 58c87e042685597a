/** The gateway and REST failing under the real discord.js: a dropped connection is resumed, a 429 waited out. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startDiscordFixture, waitForVisibleText, type DiscordFixture } from "./discord-fixture.js";

let fixture: DiscordFixture;

beforeAll(async () => {
  fixture = await startDiscordFixture();
  fixture.harness.groq.setResponder(() => "Still here.");
});

afterAll(async () => {
  await fixture.close();
});

describe("Discord faults", () => {
  it("resumes after the gateway connection drops without a close frame, and answers the next message", async () => {
    fixture.fake.dropGatewayConnections();
    await eventually(() => fixture.fake.gatewayResumes() > 0 || undefined, 15_000, () => "the bot to resume its session");

    const sent = fixture.fake.sendDirectMessage({ content: "are you back?" });
    await waitForVisibleText(fixture.fake, sent.channelId, "Still here.");
    expect(fixture.bot.isConnected()).toBe(true);
  });

  it("waits out a 429 on the reply and still answers", async () => {
    fixture.fake.injectRateLimit({ method: "POST", route: "/channels/:id/messages", retryAfterSeconds: 1, times: 1 });
    const sent = fixture.fake.sendDirectMessage({ content: "hello through a rate limit", author: fixture.fake.world.otherUser });
    await waitForVisibleText(fixture.fake, sent.channelId, "Still here.");
    expect(fixture.fake.findCalls("POST", "/channels/:id/messages").some((call) => call.status === 429)).toBe(true);
  });
});
