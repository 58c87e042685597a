/** `deploy-commands` end to end: the command JSON discord.js's REST sends, per guild or globally. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deployDiscordCommands } from "../../../src/adapters/discord/index.js";
import { german } from "../../../src/core/language/catalogs/german.js";
import { spanish } from "../../../src/core/language/catalogs/spanish.js";
import { turkish } from "../../../src/core/language/catalogs/turkish.js";
import { startFakeDiscord, type FakeDiscord } from "../../fakes/fake-discord/index.js";
import { startMamiHarness, type MamiHarness } from "../../support/mami-harness.js";
import { botToken } from "./discord-fixture.js";

let fake: FakeDiscord;
let harness: MamiHarness;

beforeEach(async () => {
  fake = await startFakeDiscord({ token: botToken });
  harness = await startMamiHarness();
});

afterEach(async () => {
  await fake.close();
  await harness.close();
});

const chatInput = 1;
const messageContextMenu = 3;
const stringOption = 3;
const attachmentOption = 11;

/** An option as registered: these fields, and its descriptions in the other languages (checked below). */
function option(fields: Record<string, unknown>): unknown {
  return expect.objectContaining({ ...fields, description_localizations: expect.any(Object) });
}

const expectedCommandList = [
  {
    type: chatInput,
    name: "ask",
    description: expect.any(String),
    options: [
      option({ type: stringOption, name: "prompt", description: "Your question", required: true }),
      option({ type: attachmentOption, name: "image", description: "An image to ask about", required: false }),
      option({ type: attachmentOption, name: "file", description: "A text, code or PDF file to ask about", required: false }),
    ],
  },
  {
    type: chatInput,
    name: "search",
    description: expect.any(String),
    options: [option({ type: stringOption, name: "query", description: "What to look up", required: true })],
  },
  { type: chatInput, name: "reset", description: expect.any(String), options: [] },
  {
    type: chatInput,
    name: "model",
    description: expect.any(String),
    options: [option({ type: stringOption, name: "choice", description: expect.any(String), required: false, autocomplete: true })],
  },
  { type: chatInput, name: "status", description: expect.any(String), options: [] },
  { type: chatInput, name: "cancel", description: expect.any(String), options: [] },
  { type: chatInput, name: "help", description: expect.any(String), options: [] },
  {
    type: chatInput,
    name: "persona",
    description: expect.any(String),
    options: [option({ type: stringOption, name: "text", description: expect.any(String), required: false })],
  },
  { type: chatInput, name: "usage", description: expect.any(String), options: [] },
  { type: chatInput, name: "stats", description: expect.any(String), options: [] },
  { type: messageContextMenu, name: "Ask Mami" },
];
const expectedCommands: unknown[] = expectedCommandList.map((command): unknown => expect.objectContaining(command));

describe("deployDiscordCommands", () => {
  it("registers every command in the guild when a guild id is given", async () => {
    const guildId = fake.world.guilds[0]!.id;
    const result = await deployDiscordCommands({ token: botToken, apiBase: fake.apiBase, guildId });
    expect(result).toEqual({ scope: "guild", names: ["ask", "search", "reset", "model", "status", "cancel", "help", "persona", "usage", "stats", "Ask Mami"] });

    const put = await fake.waitForCall("PUT", `/applications/${fake.world.applicationId}/guilds/${guildId}/commands`);
    expect(put.headers["authorization"]).toBe(`Bot ${botToken}`);
    expect(put.body).toEqual(expectedCommands);
    for (const command of put.body as { description?: string; contexts: number[] }[]) {
      expect(command.contexts).toEqual([0, 1]);
      expect((command.description ?? "").length).toBeLessThanOrEqual(100);
    }
    expect(fake.findCalls("PUT", "/applications/:id/commands")).toEqual([]);
  });

  it("registers globally without a guild id", async () => {
    const result = await deployDiscordCommands({ token: botToken, apiBase: fake.apiBase });
    expect(result.scope).toBe("global");
    const put = await fake.waitForCall("PUT", `/applications/${fake.world.applicationId}/commands`);
    expect(put.body).toEqual(expectedCommands);
    expect(fake.commandRegistrations.map((registration) => registration.scope)).toEqual(["global"]);
  });

  it("registers each description in Turkish, Spanish and German too, under Discord's locales, and keeps the names the same everywhere", async () => {
    await deployDiscordCommands({ token: botToken, apiBase: fake.apiBase });
    const put = await fake.waitForCall("PUT", `/applications/${fake.world.applicationId}/commands`);
    type Registered = { name: string; description?: string; description_localizations?: Record<string, string>; name_localizations?: unknown; options?: Registered[] };
    const commands = put.body as Registered[];
    const help = commands.find((command) => command.name === "help")!;
    expect(help.description).toBe("What Mami does and how to address it");
    expect(help.description_localizations).toEqual({ tr: turkish["help.description"], "es-ES": spanish["help.description"], de: german["help.description"] });
    const ask = commands.find((command) => command.name === "ask")!;
    expect(ask.options?.find((entry) => entry.name === "prompt")?.description_localizations).toEqual({ tr: "Sorun", "es-ES": "Tu pregunta", de: "Deine Frage" });
    const slashCommands = commands.filter((command) => command.name !== "Ask Mami");
    for (const described of [...slashCommands, ...slashCommands.flatMap((command) => command.options ?? [])]) {
      expect(Object.keys(described.description_localizations ?? {}).sort(), described.name).toEqual(["de", "es-ES", "tr"]);
      for (const text of Object.values(described.description_localizations ?? {})) {
        expect(text.length).toBeGreaterThan(2);
        expect(text.length).toBeLessThanOrEqual(100);
        expect(text).not.toBe(described.description);
      }
      expect(described.name_localizations).toBeUndefined();
    }
  });

  it("fails with Discord's answer when the token is wrong", async () => {
    await expect(deployDiscordCommands({ token: "not-the-token", apiBase: fake.apiBase })).rejects.toThrow(/401|Unauthorized/);
    expect(fake.commandRegistrations).toEqual([]);
  });
});
