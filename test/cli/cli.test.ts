import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freeTierModels, startFakeGroq, type ChatCall, type FakeGroq } from "../fakes/fake-groq/index.js";
import { makePdf } from "../support/make-pdf.js";
import { runTypeScript } from "../support/run-typescript.js";

const key = "gsk_cli_test";
let groq: FakeGroq;
let folder: string;

function lastUserText(call: ChatCall): string {
  const last = call.messages.at(-1) as { content: string | { type: string; text?: string }[] };
  return typeof last.content === "string" ? last.content : last.content.map((part) => part.text ?? "").join(" ");
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "mami-cli-"));
  groq = await startFakeGroq({
    models: freeTierModels,
    apiKey: key,
    respond: (call) => {
      if (call.model.includes("guard")) return /explosive/i.test(lastUserText(call)) ? "unsafe\nS9" : "safe";
      return `Answer from ${call.model}: ${lastUserText(call).slice(0, 60)}`;
    },
  });
});

afterAll(async () => {
  await groq.close();
  await rm(folder, { recursive: true, force: true });
});

function environment(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    GROQ_API_KEY: key,
    GROQ_BASE_URL: groq.url,
    STORE_URL: `sqlite://${join(folder, "cli.sqlite")}`,
    ROUTER_MODE: "heuristic",
    SAFETY: "off",
    REPLY_FOOTER: "off",
    ...overrides,
  };
}

function stderrJson(stderr: string): { role: string; model: string; attempts: { model: string; outcome: string; ms: number }[]; usage: unknown } {
  const lines = stderr.trim().split("\n");
  return JSON.parse(lines.at(-1) ?? "{}") as ReturnType<typeof stderrJson>;
}

describe("mami route", () => {
  it("prints the decision as one JSON line without any key in heuristic mode", async () => {
    const run = await runTypeScript("src/cli.ts", ["route", "why does my python script throw KeyError: 'name'?"], { env: { ROUTER_MODE: "heuristic" } });
    expect(run.exitCode).toBe(0);
    const decision = JSON.parse(run.stdout) as { role: string; model: string; chain: string[]; reasons: string[] };
    expect(decision.role).toBe("code");
    expect(decision.chain).toEqual(["openai/gpt-oss-120b", "qwen/qwen3.6-27b", "openai/gpt-oss-20b"]);
    expect(decision.model).toBe("openai/gpt-oss-120b");
    expect(decision.reasons.length).toBeGreaterThan(0);
  });

  it("routes a question that needs current information to search, in English and in Turkish, with the search chain only", async () => {
    for (const question of ["latest news about the OpenAI board", "son dakika deprem haberleri"]) {
      const run = await runTypeScript("src/cli.ts", ["route", question], { env: { ROUTER_MODE: "heuristic" } });
      expect(run.exitCode).toBe(0);
      const decision = JSON.parse(run.stdout) as { role: string; model: string; chain: string[]; reasons: string[] };
      expect(decision.role).toBe("search");
      expect(decision.chain).toEqual(["groq/compound-mini", "groq/compound"]);
      expect(decision.model).toBe("groq/compound-mini");
    }
  });

  it("routes images to vision and large requests to long_context", async () => {
    const image = await runTypeScript("src/cli.ts", ["route", "--image", "what is this"], { env: { ROUTER_MODE: "heuristic" } });
    expect((JSON.parse(image.stdout) as { role: string }).role).toBe("vision");
    const large = await runTypeScript("src/cli.ts", ["route", "--tokens", "50000", "summarise"], { env: { ROUTER_MODE: "heuristic" } });
    expect((JSON.parse(large.stdout) as { role: string }).role).toBe("long_context");
  });
});

describe("mami start", () => {
  it("stops with status 2 and one line per missing setting, naming each variable", async () => {
    const run = await runTypeScript("src/cli.ts", ["start"], { env: { LOG_LEVEL: "loud" } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^ {2}LOG_LEVEL: expected one of debug, info, warn, error$/m);
    expect(run.stderr).toMatch(/^ {2}GROQ_API_KEY: not set/m);
    expect(run.stderr).toMatch(/^ {2}TELEGRAM_BOT_TOKEN \/ DISCORD_BOT_TOKEN: neither is set/m);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe("mami ask", () => {
  it("answers on stdout and describes the attempt on stderr as one JSON line", async () => {
    const run = await runTypeScript("src/cli.ts", ["ask", "hello", "there,", "how", "are", "you?"], { env: environment() });
    expect(run.exitCode).toBe(0);
    expect(run.stdout.trim()).toBe("Answer from openai/gpt-oss-120b: hello there, how are you?");
    const summary = stderrJson(run.stderr);
    expect(summary.role).toBe("chat");
    expect(summary.model).toBe("openai/gpt-oss-120b");
    expect(summary.attempts).toEqual([{ model: "openai/gpt-oss-120b", outcome: "answered", ms: expect.any(Number) as number }]);
    expect(summary.usage).toMatchObject({ promptTokens: expect.any(Number) as number });
  });

  it("takes images and files", async () => {
    const imagePath = join(folder, "photo.png");
    await writeFile(imagePath, await sharp({ create: { width: 32, height: 32, channels: 3, background: "#ff0000" } }).png().toBuffer());
    const pdfPath = join(folder, "notes.pdf");
    await writeFile(pdfPath, makePdf(["The launch is on Tuesday."]));
    const withImage = await runTypeScript("src/cli.ts", ["ask", "--image", imagePath, "what colour is it?"], { env: environment() });
    expect(stderrJson(withImage.stderr).role).toBe("vision");
    expect(withImage.exitCode).toBe(0);
    const withFile = await runTypeScript("src/cli.ts", ["ask", "--file", pdfPath, "when is the launch?"], { env: environment() });
    expect(withFile.exitCode).toBe(0);
    const sent = groq.calls.filter((call) => call.status === 200 && call.path.endsWith("/chat/completions")).at(-1)?.body as { messages: { content: string }[] };
    expect(sent.messages.at(-1)?.content).toContain("The launch is on Tuesday.");
  });

  it("keeps a conversation across runs with --conversation", async () => {
    await runTypeScript("src/cli.ts", ["ask", "--conversation", "trip", "my favourite city is Izmir"], { env: environment() });
    const second = await runTypeScript("src/cli.ts", ["ask", "--conversation", "trip", "which city do I like?"], { env: environment() });
    expect(second.exitCode).toBe(0);
    const sent = groq.calls.filter((call) => call.status === 200 && call.path.endsWith("/chat/completions")).at(-1)?.body as { messages: { content: string }[] };
    expect(sent.messages.map((message) => message.content)).toContain("my favourite city is Izmir");
  });

  it("exits 3 when the safety screen refuses", async () => {
    const run = await runTypeScript("src/cli.ts", ["ask", "how to make an explosive at home"], { env: environment({ SAFETY: "input" }) });
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toMatch(/indiscriminate weapons/);
  });

  it("exits 4 when no model could answer", async () => {
    // The chains name only retired models, and every live model Groq lists has spent its day.
    const live = ["openai/gpt-oss-120b", "openai/gpt-oss-20b", "qwen/qwen3.6-27b"];
    for (const model of live) groq.inject(model, { kind: "rate_limit", window: "day", retryAfterSeconds: 3 * 3600, times: 1 });
    const run = await runTypeScript("src/cli.ts", ["ask", "hello there"], {
      env: environment({ MODELS_CHAT: "llama-3.3-70b-versatile", MODELS_CODE: "qwen/qwen3-32b", MODELS_LOGIC: "qwen/qwen3-32b", MODELS_VISION: "qwen/qwen3-32b", MODELS_LONG_CONTEXT: "qwen/qwen3-32b" }),
    });
    expect(run.exitCode).toBe(4);
    expect(run.stdout).toMatch(/Every model for chatting is out of quota right now\. Please try again in about 3 hours\./);
    // Each live model was tried once, beyond the chains, before the answer gave up.
    const summary = stderrJson(run.stderr);
    expect(summary.attempts.filter((attempt) => attempt.outcome === "rate_limited").map((attempt) => attempt.model).sort()).toEqual([...live].sort());
  });
});

describe("mami doctor", () => {
  it("prints each role's chain with live and gone models and checks both bot tokens", async () => {
    const { startFakeTelegram, defaultFakeToken } = await import("../fakes/fake-telegram/index.js");
    const { startFakeDiscord } = await import("../fakes/fake-discord/index.js");
    const telegram = await startFakeTelegram();
    const discord = await startFakeDiscord({ token: "discord-token" });
    try {
      const run = await runTypeScript("src/cli.ts", ["doctor"], {
        env: environment({ TELEGRAM_BOT_TOKEN: defaultFakeToken, TELEGRAM_API_ROOT: telegram.apiRoot, DISCORD_BOT_TOKEN: "discord-token", DISCORD_API_BASE: discord.apiBase }),
      });
      expect(run.stdout).toMatch(/^ {2}chat: llama-3\.3-70b-versatile \(gone\), .*openai\/gpt-oss-120b \(live\)/m);
      expect(run.stdout).toMatch(/^ {2}safety: meta-llama\/llama-guard-4-12b \(live\)/m);
      expect(run.stdout).toMatch(/^Telegram: token accepted$/m);
      expect(run.stdout).toMatch(/^Discord: token accepted$/m);
      expect(run.stdout).toMatch(/^All good\.$/m);
      expect(run.exitCode).toBe(0);

      const wrongToken = await runTypeScript("src/cli.ts", ["doctor"], {
        env: environment({ DISCORD_BOT_TOKEN: "wrong", DISCORD_API_BASE: discord.apiBase }),
      });
      expect(wrongToken.stdout).toMatch(/^Discord: token check failed \(HTTP 401\)$/m);
      expect(wrongToken.exitCode).toBe(1);
    } finally {
      await telegram.close();
      await discord.close();
    }
  });

  it("warns, without failing, when no search system is live: chat answers those questions instead", async () => {
    const run = await runTypeScript("src/cli.ts", ["doctor"], { env: environment({ MODELS_SEARCH: "groq/compound-retired" }) });
    expect(run.stdout).toMatch(/^ {2}search \[NO LIVE MODEL: chat answers instead, without searching\]: groq\/compound-retired \(gone\)$/m);
    expect(run.stdout).toMatch(/^All good\.$/m);
    expect(run.exitCode).toBe(0);
  });
});

describe("mami deploy-commands", () => {
  it("registers the commands in the guild and prints what it registered", async () => {
    const { startFakeDiscord } = await import("../fakes/fake-discord/index.js");
    const discord = await startFakeDiscord({ token: "discord-token" });
    try {
      const guildId = discord.world.guilds[0]?.id ?? "";
      const run = await runTypeScript("src/cli.ts", ["deploy-commands"], {
        env: { DISCORD_BOT_TOKEN: "discord-token", DISCORD_API_BASE: discord.apiBase, DISCORD_GUILD_ID: guildId },
      });
      expect(run.exitCode).toBe(0);
      expect(run.stdout.trim()).toBe(`Registered 11 commands in guild ${guildId}: ask, search, reset, model, status, cancel, help, persona, usage, stats, Ask Mami`);
      expect(discord.commandRegistrations.at(-1)).toMatchObject({ guildId });
    } finally {
      await discord.close();
    }
  });
});

describe("mami chat", () => {
  it("holds a conversation and accepts chat commands", async () => {
    const run = await runTypeScript("src/cli.ts", ["chat"], {
      env: environment(),
      input: ["hi, I am Deniz", "/model code", "what is my name?", "/status", "/reset", "/help"].join("\n") + "\n",
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("Answer from openai/gpt-oss-120b: hi, I am Deniz");
    expect(run.stdout).toContain("This conversation now uses the code role.");
    expect(run.stdout).toMatch(/openai\/gpt-oss-120b \[.*chat.*\]: ready/);
    expect(run.stdout).toContain("Done: I forgot this conversation.");
    expect(run.stdout).toContain("/ask <question>");
  });
});
