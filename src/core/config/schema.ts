// zod/mini rather than zod: the same validation, but tree-shaken to a few kilobytes, which keeps
// `mami route` well inside its start-up budget (the full zod bundle alone took ~20 ms to compile).
import * as z from "zod/mini";
import { defaultChains } from "../models/default-chains.js";
import type { Role } from "../roles.js";

type Parsed<Value> = { readonly value: Value } | { readonly problem: string };

/**
 * One environment variable: absent and blank are the same, surrounding spaces do not count, and
 * a value that does not parse becomes one issue on that variable with what is expected.
 */
function setting<Value>(parse: (raw: string | undefined) => Parsed<Value>) {
  return z.pipe(
    z.optional(z.string()),
    z.transform((raw: string | undefined, payload): Value => {
      const trimmed = raw?.trim();
      const parsed = parse(trimmed === "" ? undefined : trimmed);
      if ("problem" in parsed) {
        payload.issues.push({ code: "custom", message: parsed.problem, input: raw });
        return undefined as never;
      }
      return parsed.value;
    }),
  );
}

const optionalText = (pattern?: RegExp, expected?: string) =>
  setting((raw) =>
    raw === undefined || pattern === undefined || pattern.test(raw) ? { value: raw } : { problem: `expected ${expected ?? pattern.source}` },
  );

const url = (defaultValue: string) =>
  setting((raw) => {
    const value = raw ?? defaultValue;
    return /^https?:\/\/[^\s/]+/.test(value) ? { value: value.replace(/\/+$/, "") } : { problem: `expected an http(s) URL, e.g. ${defaultValue}` };
  });

const choice = <const Values extends readonly [string, ...string[]]>(values: Values, defaultValue: Values[number]) =>
  setting((raw): Parsed<Values[number]> => {
    const value = raw?.toLowerCase() ?? defaultValue;
    return (values as readonly string[]).includes(value) ? { value } : { problem: `expected one of ${values.join(", ")}` };
  });

const wholeNumber = (defaultValue: number, minimum: number, maximum: number, what: string) =>
  setting((raw) => {
    const value = raw === undefined ? defaultValue : Number(raw);
    return Number.isInteger(value) && value >= minimum && value <= maximum
      ? { value }
      : { problem: `expected ${what}${minimum > 0 ? ` (at least ${minimum})` : ""}` };
  });

const optionalPort = setting((raw): Parsed<number | undefined> => {
  if (raw === undefined) return { value: undefined };
  const port = Number(raw);
  return Number.isInteger(port) && port >= 1 && port <= 65_535 ? { value: port } : { problem: "expected a TCP port (1 to 65535)" };
});

const host = setting((raw): Parsed<string> => {
  const value = raw ?? "127.0.0.1";
  return /^[A-Za-z0-9.:[\]-]+$/.test(value) ? { value } : { problem: "expected an address to listen on, e.g. 127.0.0.1 or 0.0.0.0" };
});

/** Comma-separated shard ids, each below the shard count (checked in config.ts, which knows the count). */
const shardIds = setting((raw): Parsed<readonly number[] | undefined> => {
  if (raw === undefined) return { value: undefined };
  const ids = raw.split(",").map((id) => id.trim()).filter((id) => id !== "").map(Number);
  return ids.length > 0 && ids.every((id) => Number.isInteger(id) && id >= 0)
    ? { value: [...new Set(ids)] }
    : { problem: "expected comma-separated shard numbers from 0, e.g. 0 or 0,1" };
});

const modelIdPattern = /^[A-Za-z0-9._:/-]+$/;

const chain = (role: Role) =>
  setting((raw): Parsed<readonly string[]> => {
    if (raw === undefined) return { value: [...defaultChains[role]] };
    const models = raw.split(",").map((model) => model.trim()).filter((model) => model !== "");
    return models.length > 0 && models.every((model) => modelIdPattern.test(model))
      ? { value: [...new Set(models)] }
      : { problem: `expected comma-separated Groq model ids, e.g. ${defaultChains[role].slice(0, 2).join(",")}` };
  });

const platformIdPattern = /^(tg|dc):[A-Za-z0-9_-]+$/;

const idList = setting((raw): Parsed<readonly string[]> => {
  const ids = (raw ?? "").split(",").map((id) => id.trim()).filter((id) => id !== "");
  const bad = ids.find((id) => !platformIdPattern.test(id));
  return bad === undefined ? { value: ids } : { problem: `"${bad}" is not a prefixed id; expected tg:123 or dc:456, comma-separated` };
});

const storeUrl = setting((raw) => {
  const value = raw ?? "sqlite://data/mami.sqlite";
  return /^(sqlite:\/\/.+|memory:\/\/|rediss?:\/\/.+)$/.test(value) ? { value } : { problem: "expected sqlite://PATH, memory:// or redis://HOST:PORT" };
});

const onOff = setting((raw): Parsed<boolean> => {
  const value = raw?.toLowerCase() ?? "on";
  return value === "on" || value === "off" ? { value: value === "on" } : { problem: "expected on or off" };
});

/** One schema over the environment; names as in INTERFACE.md. */
export const environmentSchema = z.object({
  GROQ_API_KEY: optionalText(),
  GROQ_BASE_URL: url("https://api.groq.com"),
  TELEGRAM_BOT_TOKEN: optionalText(/^\d+:[\w-]{20,}$/, "a token like 123456:ABC-DEF... from @BotFather"),
  TELEGRAM_API_ROOT: url("https://api.telegram.org"),
  TELEGRAM_WEBHOOK_URL: optionalText(/^https?:\/\//, "the public https URL Telegram should post updates to"),
  TELEGRAM_WEBHOOK_PORT: wholeNumber(8443, 1, 65_535, "a TCP port"),
  TELEGRAM_WEBHOOK_SECRET: optionalText(/^[A-Za-z0-9_-]{1,256}$/, "1 to 256 letters, digits, _ or - (Telegram's rule)"),
  DISCORD_BOT_TOKEN: optionalText(),
  DISCORD_API_BASE: url("https://discord.com/api"),
  DISCORD_GUILD_ID: optionalText(/^\d+$/, "a numeric guild id (Discord: right-click the server, Copy Server ID)"),
  DISCORD_SHARD_COUNT: wholeNumber(1, 1, 10_000, "a whole number of shards"),
  DISCORD_SHARD_IDS: shardIds,
  STORE_URL: storeUrl,
  MODELS_CHAT: chain("chat"),
  MODELS_LOGIC: chain("logic"),
  MODELS_CODE: chain("code"),
  MODELS_VISION: chain("vision"),
  MODELS_LONG_CONTEXT: chain("long_context"),
  MODELS_SEARCH: chain("search"),
  MODELS_ROUTER: chain("router"),
  MODELS_SAFETY: chain("safety"),
  MODELS_SAFETY_VISION: chain("safety_vision"),
  MODELS_TRANSCRIBE: chain("transcribe"),
  REPLY_FOOTER: onOff,
  EXTRA_MODELS: choice(["auto", "off"], "auto"),
  LONG_CONTEXT_TOKENS: wholeNumber(30_000, 1_000, Number.MAX_SAFE_INTEGER, "a whole number of tokens"),
  DOCUMENT_MAX_READING_SECONDS: wholeNumber(600, 10, 86_400, "a whole number of seconds"),
  DOCUMENT_MAX_DAY_PERCENT: wholeNumber(30, 1, 100, "a whole percentage, 1 to 100"),
  DOCUMENT_MINUTE_PERCENT: wholeNumber(90, 10, 100, "a whole percentage, 10 to 100"),
  DOCUMENT_KEEP_HOURS: wholeNumber(24, 1, 720, "a whole number of hours"),
  ROUTER_MODE: choice(["heuristic", "llm", "hybrid"], "hybrid"),
  SAFETY: choice(["off", "input", "both"], "input"),
  SAFETY_ON_OUTAGE: choice(["allow", "block"], "allow"),
  ALLOWED_USERS: idList,
  ALLOWED_CHATS: idList,
  ADMIN_USERS: idList,
  USER_DAILY_TOKENS: wholeNumber(0, 0, Number.MAX_SAFE_INTEGER, "a whole number of tokens, 0 for no limit"),
  SEARCH_DAILY_PER_USER: wholeNumber(20, 0, Number.MAX_SAFE_INTEGER, "a whole number of web searches, 0 for no limit"),
  MAX_QUEUE_WAIT_SECONDS: wholeNumber(60, 0, 3_600, "a whole number of seconds"),
  MAX_CONCURRENT_REQUESTS: wholeNumber(64, 1, 10_000, "a whole number of requests"),
  MAX_WAITING_PER_USER: wholeNumber(3, 0, 100, "a whole number of messages"),
  HISTORY_MAX_TURNS: wholeNumber(20, 0, 1_000, "a whole number of turns"),
  GROUP_CONTEXT_MESSAGES: wholeNumber(20, 0, 200, "a whole number of messages, 0 to turn group context off"),
  GROUP_CONTEXT_TOKENS: wholeNumber(1_000, 0, 20_000, "a whole number of tokens, 0 to turn group context off"),
  GROUP_CONTEXT_HOURS: wholeNumber(24, 1, 720, "a whole number of hours"),
  METRICS_PORT: optionalPort,
  METRICS_HOST: host,
  SHUTDOWN_GRACE_SECONDS: wholeNumber(10, 0, 600, "a whole number of seconds"),
  LOG_LEVEL: choice(["debug", "info", "warn", "error"], "info"),
});

export type Environment = z.output<typeof environmentSchema>;
