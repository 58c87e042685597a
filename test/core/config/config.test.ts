import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/core/config/config.js";
import { ConfigError } from "../../../src/core/errors.js";
import { defaultChains } from "../../../src/core/models/default-chains.js";

function problemsOf(environment: Record<string, string>, purpose: Parameters<typeof loadConfig>[1] = "start"): readonly string[] {
  try {
    loadConfig(environment, purpose);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("configuration", () => {
  it("fills every default from INTERFACE.md", () => {
    const config = loadConfig({ GROQ_API_KEY: "gsk_x", TELEGRAM_BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ" }, "start");
    expect(config.groq.baseUrl).toBe("https://api.groq.com");
    expect(config.telegram?.apiRoot).toBe("https://api.telegram.org");
    expect(config.discord).toBeUndefined();
    expect(config.storeUrl).toBe("sqlite://data/mami.sqlite");
    expect(config.chains.chat).toEqual(defaultChains.chat);
    expect(config.chains.transcribe).toEqual(["whisper-large-v3-turbo", "whisper-large-v3"]);
    expect(config.replyFooter).toBe(true);
    expect(config.longContextTokens).toBe(30_000);
    expect(config.routerMode).toBe("hybrid");
    expect(config.safety).toBe("input");
    expect(config.safetyOnOutage).toBe("allow");
    expect(config.userDailyTokens).toBe(0);
    expect(config.chains.search).toEqual(["groq/compound-mini", "groq/compound"]);
    expect(config.searchDailyPerUser).toBe(20);
    expect(config.maxQueueWaitMs).toBe(60_000);
    expect(config.metricsPort).toBeUndefined();
    expect(config.logLevel).toBe("info");
  });

  it("reports every missing or invalid setting at once, one line each naming the variable", () => {
    const problems = problemsOf({
      ROUTER_MODE: "smart",
      LONG_CONTEXT_TOKENS: "lots",
      STORE_URL: "postgres://db",
      ALLOWED_USERS: "123",
      METRICS_PORT: "99999",
      MODELS_CODE: "bad model!",
      SEARCH_DAILY_PER_USER: "-1",
    });
    const variables = problems.map((problem) => problem.split(":")[0]);
    expect(variables).toEqual(
      expect.arrayContaining(["ROUTER_MODE", "LONG_CONTEXT_TOKENS", "STORE_URL", "ALLOWED_USERS", "METRICS_PORT", "MODELS_CODE", "SEARCH_DAILY_PER_USER", "GROQ_API_KEY", "TELEGRAM_BOT_TOKEN / DISCORD_BOT_TOKEN"]),
    );
    expect(problems.find((problem) => problem.startsWith("ROUTER_MODE"))).toMatch(/heuristic, llm, hybrid/);
    expect(problems.find((problem) => problem.startsWith("GROQ_API_KEY"))).toMatch(/console\.groq\.com/);
  });

  it("parses chains, id lists and switches", () => {
    const config = loadConfig(
      {
        GROQ_API_KEY: "gsk_x",
        DISCORD_BOT_TOKEN: "token",
        MODELS_CHAT: " openai/gpt-oss-20b , qwen/qwen3.6-27b,openai/gpt-oss-20b ",
        ALLOWED_USERS: "tg:1, dc:22",
        REPLY_FOOTER: "OFF",
        SAFETY: "both",
        MAX_QUEUE_WAIT_SECONDS: "0",
      },
      "start",
    );
    expect(config.chains.chat).toEqual(["openai/gpt-oss-20b", "qwen/qwen3.6-27b"]);
    expect(config.allowedUsers).toEqual(["tg:1", "dc:22"]);
    expect(config.replyFooter).toBe(false);
    expect(config.safety).toBe("both");
    expect(config.maxQueueWaitMs).toBe(0);
  });

  it("needs no key for heuristic routing, but does for the other modes", () => {
    expect(problemsOf({ ROUTER_MODE: "heuristic" }, "route")).toEqual([]);
    expect(problemsOf({}, "route")[0]).toMatch(/^GROQ_API_KEY/);
    expect(problemsOf({ GROQ_API_KEY: "gsk_x" }, "ask")).toEqual([]);
  });

  it("rejects a Telegram token of the wrong shape with where to get one", () => {
    expect(problemsOf({ GROQ_API_KEY: "gsk_x", TELEGRAM_BOT_TOKEN: "oops" })).toEqual([expect.stringMatching(/^TELEGRAM_BOT_TOKEN: .*BotFather/)]);
  });
});
