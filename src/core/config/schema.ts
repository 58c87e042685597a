import { z } from "zod";
import { defaultChains } from "../models/default-chains.js";
import type { Role } from "../roles.js";

const emptyToUndefined = (value: unknown): unknown =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

const optionalText = z.preprocess(emptyToUndefined, z.string().trim().optional());

function url(defaultValue: string, what: string) {
  return z.preprocess(
    emptyToUndefined,
    z
      .url({ error: `expected ${what}, e.g. ${defaultValue}` })
      .default(defaultValue)
      .transform((value) => value.replace(/\/+$/, "")),
  );
}

function choice<const Values extends readonly [string, ...string[]]>(values: Values, defaultValue: Values[number]) {
  return z.preprocess(
    (value) => (typeof value === "string" ? emptyToUndefined(value.trim().toLowerCase()) : value),
    z.enum(values, { error: `expected one of ${values.join(", ")}` }).default(defaultValue),
  );
}

function wholeNumber(defaultValue: number, minimum: number, what: string) {
  return z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: `expected ${what}` })
      .int({ error: `expected ${what}` })
      .min(minimum, { error: `expected ${what} (at least ${minimum})` })
      .default(defaultValue),
  );
}

const modelIdPattern = /^[A-Za-z0-9._:/-]+$/;

function chain(role: Role) {
  return z.preprocess(
    emptyToUndefined,
    z
      .string()
      .optional()
      .transform((value, context) => {
        if (value === undefined) return [...defaultChains[role]];
        const models = value.split(",").map((model) => model.trim()).filter((model) => model !== "");
        const bad = models.find((model) => !modelIdPattern.test(model));
        if (models.length === 0 || bad !== undefined) {
          context.addIssue({
            code: "custom",
            message: `expected comma-separated Groq model ids, e.g. ${defaultChains[role].slice(0, 2).join(",")}`,
          });
          return z.NEVER;
        }
        return [...new Set(models)];
      }),
  );
}

const platformIdPattern = /^(tg|dc):[A-Za-z0-9_-]+$/;

const idList = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined) return [];
      const ids = value.split(",").map((id) => id.trim()).filter((id) => id !== "");
      const bad = ids.find((id) => !platformIdPattern.test(id));
      if (bad !== undefined) {
        context.addIssue({ code: "custom", message: `"${bad}" is not a prefixed id; expected tg:123 or dc:456, comma-separated` });
        return z.NEVER;
      }
      return ids;
    }),
);

const storeUrl = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .default("sqlite://data/mami.sqlite")
    .refine((value) => /^(sqlite:\/\/.+|memory:\/\/|rediss?:\/\/.+)$/.test(value), {
      error: "expected sqlite://PATH, memory:// or redis://HOST:PORT",
    }),
);

const onOff = z.preprocess(
  (value) => (typeof value === "string" ? emptyToUndefined(value.trim().toLowerCase()) : value),
  z.enum(["on", "off"], { error: "expected on or off" }).default("on").transform((value) => value === "on"),
);

/** One schema over the environment; names as in INTERFACE.md. */
export const environmentSchema = z.object({
  GROQ_API_KEY: optionalText,
  GROQ_BASE_URL: url("https://api.groq.com", "an http(s) URL"),
  TELEGRAM_BOT_TOKEN: optionalText.refine((value) => value === undefined || /^\d+:[\w-]{20,}$/.test(value), {
    error: "expected a token like 123456:ABC-DEF... from @BotFather",
  }),
  TELEGRAM_API_ROOT: url("https://api.telegram.org", "an http(s) URL"),
  TELEGRAM_WEBHOOK_URL: optionalText.refine((value) => value === undefined || /^https?:\/\//.test(value), {
    error: "expected the public https URL Telegram should post updates to",
  }),
  TELEGRAM_WEBHOOK_PORT: wholeNumber(8443, 1, "a TCP port"),
  TELEGRAM_WEBHOOK_SECRET: optionalText,
  DISCORD_BOT_TOKEN: optionalText,
  DISCORD_API_BASE: url("https://discord.com/api", "an http(s) URL"),
  DISCORD_GUILD_ID: optionalText.refine((value) => value === undefined || /^\d+$/.test(value), {
    error: "expected a numeric guild id (Discord: right-click the server, Copy Server ID)",
  }),
  STORE_URL: storeUrl,
  MODELS_CHAT: chain("chat"),
  MODELS_LOGIC: chain("logic"),
  MODELS_CODE: chain("code"),
  MODELS_VISION: chain("vision"),
  MODELS_LONG_CONTEXT: chain("long_context"),
  MODELS_ROUTER: chain("router"),
  MODELS_SAFETY: chain("safety"),
  MODELS_TRANSCRIBE: chain("transcribe"),
  REPLY_FOOTER: onOff,
  LONG_CONTEXT_TOKENS: wholeNumber(30_000, 1_000, "a whole number of tokens"),
  ROUTER_MODE: choice(["heuristic", "llm", "hybrid"], "hybrid"),
  SAFETY: choice(["off", "input", "both"], "input"),
  SAFETY_ON_OUTAGE: choice(["allow", "block"], "allow"),
  ALLOWED_USERS: idList,
  ALLOWED_CHATS: idList,
  ADMIN_USERS: idList,
  USER_DAILY_TOKENS: wholeNumber(0, 0, "a whole number of tokens, 0 for no limit"),
  MAX_QUEUE_WAIT_SECONDS: wholeNumber(20, 0, "a whole number of seconds"),
  HISTORY_MAX_TURNS: wholeNumber(20, 0, "a whole number of turns"),
  METRICS_PORT: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ error: "expected a TCP port" }).int().min(1).max(65_535, { error: "expected a TCP port" }).optional(),
  ),
  LOG_LEVEL: choice(["debug", "info", "warn", "error"], "info"),
});

export type Environment = z.output<typeof environmentSchema>;
