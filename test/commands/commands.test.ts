import { afterEach, describe, expect, it } from "vitest";
import { commandDefinitions, parseCommandLine, runCommand } from "../../commands/index.js";
import { finalReplyOf } from "../../src/core/reply.js";
import { chatRequest } from "../support/chat-request.js";
import { startMamiHarness, type MamiHarness } from "../support/mami-harness.js";

let harness: MamiHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("typed command lines", () => {
  it("splits the name, the bot's username and the rest of the line", () => {
    expect(parseCommandLine("/ask@mami_bot what is a monad?")).toEqual({ name: "ask", options: { prompt: "what is a monad?" } });
    expect(parseCommandLine("/MODEL code")).toEqual({ name: "model", options: { choice: "code" } });
    expect(parseCommandLine("/reset")).toEqual({ name: "reset", options: {} });
    expect(parseCommandLine("not a command")).toBeUndefined();
  });

  it("defines each INTERFACE.md command once, with descriptions the platforms accept", () => {
    expect(commandDefinitions.map((command) => command.name)).toEqual(["ask", "reset", "model", "status", "help"]);
    for (const command of commandDefinitions) {
      expect(command.name).toMatch(/^[a-z]{1,32}$/);
      expect(command.description.length).toBeGreaterThan(2);
      expect(command.description.length).toBeLessThanOrEqual(100);
    }
  });
});

describe("running commands", () => {
  it("answers an unknown command or a bad option with what to do", async () => {
    harness = await startMamiHarness();
    const unknown = await finalReplyOf(runCommand(harness.core, chatRequest("/frobnicate"), "frobnicate", {}));
    expect(unknown.text).toBe("There is no /frobnicate command. Try /help.");
    const tooLong = await finalReplyOf(runCommand(harness.core, chatRequest("/ask"), "ask", { prompt: "x".repeat(9_000) }));
    expect(tooLong.kind).toBe("notice");
    expect(tooLong.text).toMatch(/^\/ask: prompt .*Try \/help\.$/);
    const empty = await finalReplyOf(runCommand(harness.core, chatRequest("/ask"), "ask", {}));
    expect(empty.text).toMatch(/Tell me what to ask/);
  });

  it("shows the model choices, pins a role or a live model, refuses an unknown one, and unpins", async () => {
    harness = await startMamiHarness();
    const request = chatRequest("/model");
    const shown = await finalReplyOf(runCommand(harness.core, request, "model", {}));
    expect(shown.text).toMatch(/uses auto/);
    expect(shown.choices?.map((choice) => choice.command)).toEqual(expect.arrayContaining(["/model auto", "/model code", "/model openai/gpt-oss-120b"]));
    expect(shown.choices?.map((choice) => choice.command)).not.toContain("/model llama-3.3-70b-versatile");

    await finalReplyOf(runCommand(harness.core, request, "model", { choice: "logic" }));
    expect(await harness.core.getPin(request)).toEqual({ role: "logic" });
    const unknown = await finalReplyOf(runCommand(harness.core, request, "model", { choice: "gpt-5" }));
    expect(unknown.text).toMatch(/I don't know "gpt-5"/);
    expect(await harness.core.getPin(request)).toEqual({ role: "logic" });
    await finalReplyOf(runCommand(harness.core, request, "model", { choice: "auto" }));
    expect(await harness.core.getPin(request)).toBeUndefined();
  });

  it("reports every model's state and the user's usage in /status", async () => {
    harness = await startMamiHarness();
    await finalReplyOf(harness.core.handle(chatRequest("hello there, how are you?")));
    const status = await finalReplyOf(runCommand(harness.core, chatRequest("/status"), "status", {}));
    expect(status.text).toMatch(/- llama-3\.3-70b-versatile: gone/);
    expect(status.text).toMatch(/- openai\/gpt-oss-120b \[chat, logic, code, long_context\]: ready, 999 requests left today, \d+ tokens left this minute/);
    expect(status.text).toMatch(/You today: 1 request, \d+ tokens\./);
  });
});
