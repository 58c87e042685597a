import { ConfigError } from "../errors.js";
import type { Role } from "../roles.js";
import { environmentSchema, type Environment } from "./schema.js";

export interface MamiConfig {
  readonly groq: { readonly apiKey: string | undefined; readonly baseUrl: string };
  readonly telegram:
    | {
        readonly token: string;
        readonly apiRoot: string;
        readonly webhook?: { readonly url: string; readonly port: number; readonly secretToken?: string };
      }
    | undefined;
  readonly discord:
    | {
        readonly token: string;
        readonly apiBase: string;
        readonly guildId?: string;
        /** The shards this process runs out of `count`; absent: one process runs them all. */
        readonly shards?: { readonly ids: readonly number[]; readonly count: number };
      }
    | undefined;
  readonly storeUrl: string;
  readonly chains: Readonly<Record<Role, readonly string[]>>;
  readonly replyFooter: boolean;
  /** Live models that no answer chain names answer once the chains are spent (`auto`), or never (`off`). */
  readonly extraModels: "auto" | "off";
  readonly longContextTokens: number;
  /** Documents too large for every model, read in parts (documents/). */
  readonly documents: DocumentSettings;
  readonly routerMode: "heuristic" | "llm" | "hybrid";
  readonly safety: "off" | "input" | "both";
  readonly safetyOnOutage: "allow" | "block";
  readonly allowedUsers: readonly string[];
  readonly allowedChats: readonly string[];
  readonly adminUsers: readonly string[];
  readonly userDailyTokens: number;
  /**
   * Web searches one user may make a day (0: no limit). The search systems' day is a few hundred
   * requests for the whole organization, so each user gets a share; past it, ordinary models answer.
   */
  readonly searchDailyPerUser: number;
  readonly maxQueueWaitMs: number;
  /** Requests answered at once, all users and platforms together; the rest wait their turn. */
  readonly maxConcurrentRequests: number;
  /** A user's messages that may wait behind the one being answered; more are told to wait. */
  readonly maxWaitingPerUser: number;
  readonly historyMaxTurns: number;
  /** Group chats: recent messages shown with a fresh mention, and how long they are kept (group-context.ts). */
  readonly groupContext: { readonly maxMessages: number; readonly maxTokens: number; readonly keptForMs: number };
  readonly metricsPort: number | undefined;
  /** Where /metrics and /healthz listen: loopback unless a container must be scraped from outside. */
  readonly metricsHost: string;
  /** At SIGTERM, answers under way get this long to finish before they are cut short. */
  readonly shutdownGraceMs: number;
  readonly logLevel: "debug" | "info" | "warn" | "error";
}

export interface DocumentSettings {
  /** A document whose reading would take longer than this is refused with the figures. */
  readonly maxReadingMs: number;
  /** A document whose reading would use more than this share of the tokens the models have left today is refused. */
  readonly maxDayShare: number;
  /** The most of the models' combined tokens per minute one reading holds at a time; the rest stays for others. */
  readonly maxMinuteShare: number;
  /** How long a document's parts and notes are kept for follow-up questions. */
  readonly keepMs: number;
}

/** What a command needs before it can run; each missing piece is one line for the operator. */
export type ConfigPurpose = "start" | "ask" | "route" | "doctor" | "deploy-commands";


function toConfig(environment: Environment): MamiConfig {
  const chains: Record<Role, readonly string[]> = {
    chat: environment.MODELS_CHAT,
    logic: environment.MODELS_LOGIC,
    code: environment.MODELS_CODE,
    vision: environment.MODELS_VISION,
    long_context: environment.MODELS_LONG_CONTEXT,
    search: environment.MODELS_SEARCH,
    router: environment.MODELS_ROUTER,
    safety: environment.MODELS_SAFETY,
    safety_vision: environment.MODELS_SAFETY_VISION,
    transcribe: environment.MODELS_TRANSCRIBE,
  };
  return {
    groq: { apiKey: environment.GROQ_API_KEY, baseUrl: environment.GROQ_BASE_URL },
    telegram:
      environment.TELEGRAM_BOT_TOKEN === undefined
        ? undefined
        : {
            token: environment.TELEGRAM_BOT_TOKEN,
            apiRoot: environment.TELEGRAM_API_ROOT,
            ...(environment.TELEGRAM_WEBHOOK_URL === undefined
              ? {}
              : {
                  webhook: {
                    url: environment.TELEGRAM_WEBHOOK_URL,
                    port: environment.TELEGRAM_WEBHOOK_PORT,
                    ...(environment.TELEGRAM_WEBHOOK_SECRET === undefined ? {} : { secretToken: environment.TELEGRAM_WEBHOOK_SECRET }),
                  },
                }),
          },
    discord:
      environment.DISCORD_BOT_TOKEN === undefined
        ? undefined
        : {
            token: environment.DISCORD_BOT_TOKEN,
            apiBase: environment.DISCORD_API_BASE,
            ...(environment.DISCORD_GUILD_ID === undefined ? {} : { guildId: environment.DISCORD_GUILD_ID }),
            ...(environment.DISCORD_SHARD_COUNT === 1 && environment.DISCORD_SHARD_IDS === undefined
              ? {}
              : {
                  shards: {
                    ids: environment.DISCORD_SHARD_IDS ?? Array.from({ length: environment.DISCORD_SHARD_COUNT }, (_, id) => id),
                    count: environment.DISCORD_SHARD_COUNT,
                  },
                }),
          },
    storeUrl: environment.STORE_URL,
    chains,
    replyFooter: environment.REPLY_FOOTER,
    extraModels: environment.EXTRA_MODELS,
    longContextTokens: environment.LONG_CONTEXT_TOKENS,
    documents: {
      maxReadingMs: environment.DOCUMENT_MAX_READING_SECONDS * 1000,
      maxDayShare: environment.DOCUMENT_MAX_DAY_PERCENT / 100,
      maxMinuteShare: environment.DOCUMENT_MINUTE_PERCENT / 100,
      keepMs: environment.DOCUMENT_KEEP_HOURS * 60 * 60_000,
    },
    routerMode: environment.ROUTER_MODE,
    safety: environment.SAFETY,
    safetyOnOutage: environment.SAFETY_ON_OUTAGE,
    allowedUsers: environment.ALLOWED_USERS,
    allowedChats: environment.ALLOWED_CHATS,
    adminUsers: environment.ADMIN_USERS,
    userDailyTokens: environment.USER_DAILY_TOKENS,
    searchDailyPerUser: environment.SEARCH_DAILY_PER_USER,
    maxQueueWaitMs: environment.MAX_QUEUE_WAIT_SECONDS * 1000,
    maxConcurrentRequests: environment.MAX_CONCURRENT_REQUESTS,
    maxWaitingPerUser: environment.MAX_WAITING_PER_USER,
    historyMaxTurns: environment.HISTORY_MAX_TURNS,
    groupContext: {
      // Either bound at 0 turns the feature off: nothing is kept, nothing is shown.
      maxMessages: environment.GROUP_CONTEXT_TOKENS === 0 ? 0 : environment.GROUP_CONTEXT_MESSAGES,
      maxTokens: environment.GROUP_CONTEXT_MESSAGES === 0 ? 0 : environment.GROUP_CONTEXT_TOKENS,
      keptForMs: environment.GROUP_CONTEXT_HOURS * 60 * 60_000,
    },
    metricsPort: environment.METRICS_PORT,
    metricsHost: environment.METRICS_HOST,
    shutdownGraceMs: environment.SHUTDOWN_GRACE_SECONDS * 1000,
    logLevel: environment.LOG_LEVEL,
  };
}

function isSet(environment: Readonly<Record<string, string | undefined>>, name: string): boolean {
  return (environment[name] ?? "").trim() !== "";
}

/** Settings a purpose needs, checked on the raw environment so they are reported with the invalid ones. */
function missingSettings(environment: Readonly<Record<string, string | undefined>>, purpose: ConfigPurpose): string[] {
  const problems: string[] = [];
  const heuristicRouting = (environment.ROUTER_MODE ?? "").trim().toLowerCase() === "heuristic";
  const needsGroq = purpose !== "deploy-commands" && (purpose !== "route" || !heuristicRouting);
  if (needsGroq && !isSet(environment, "GROQ_API_KEY")) {
    problems.push(
      purpose === "route"
        ? "GROQ_API_KEY: not set; it is needed unless ROUTER_MODE=heuristic. Create a key at https://console.groq.com/keys"
        : "GROQ_API_KEY: not set. Create a key at https://console.groq.com/keys and put it in .env",
    );
  }
  if (purpose === "start" && !isSet(environment, "TELEGRAM_BOT_TOKEN") && !isSet(environment, "DISCORD_BOT_TOKEN")) {
    problems.push(
      "TELEGRAM_BOT_TOKEN / DISCORD_BOT_TOKEN: neither is set; set at least one. Telegram: send /newbot to @BotFather. Discord: https://discord.com/developers/applications → your app → Bot → Reset Token",
    );
  }
  const shardCount = Number((environment.DISCORD_SHARD_COUNT ?? "").trim() || "1");
  const tooHigh = (environment.DISCORD_SHARD_IDS ?? "").split(",").map((id) => Number(id.trim())).filter((id) => Number.isInteger(id) && id >= shardCount);
  if (Number.isInteger(shardCount) && tooHigh.length > 0) {
    problems.push(`DISCORD_SHARD_IDS: shard ${tooHigh.join(", ")} does not exist with DISCORD_SHARD_COUNT=${shardCount}; shards are numbered 0 to ${shardCount - 1}`);
  }
  if (purpose === "deploy-commands" && !isSet(environment, "DISCORD_BOT_TOKEN")) {
    problems.push("DISCORD_BOT_TOKEN: not set; deploy-commands registers Discord slash commands. Get it at https://discord.com/developers/applications → your app → Bot");
  }
  return problems;
}

/**
 * Reads the whole environment at once and reports every problem, one line per variable, so an
 * operator fixes `.env` in one pass instead of one restart per mistake.
 */
export function loadConfig(environment: Readonly<Record<string, string | undefined>>, purpose: ConfigPurpose): MamiConfig {
  const parsed = environmentSchema.safeParse(environment);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join(".") || "environment"}: ${issue.message}`);
  problems.push(...missingSettings(environment, purpose));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return toConfig(parsed.data);
}
