/**
 * Faults dealt out while the load runs, one every `intervalMs`, cycling through each platform's
 * list: Groq misbehaving on a live model, the chat platform refusing or dropping calls.
 */
import type { FakeDiscord } from "../../fakes/fake-discord/index.js";
import type { FakeGroq, InjectedFailure } from "../../fakes/fake-groq/index.js";
import type { FakeTelegram } from "../../fakes/fake-telegram/index.js";

export interface Fault {
  readonly name: string;
  inject(): void;
}

/** The models that answer today on the free tier: where faults hurt. */
const liveAnswerModels = ["openai/gpt-oss-120b", "qwen/qwen3.6-27b", "openai/gpt-oss-20b"];

const groqFailures: readonly InjectedFailure[] = [
  { kind: "status", status: 500 },
  { kind: "status", status: 503 },
  { kind: "hang" },
  { kind: "reset" },
  { kind: "drop_stream", afterChunks: 3 },
  { kind: "malformed_body" },
  { kind: "rate_limit_headers", headers: "missing" },
  { kind: "rate_limit_headers", headers: "garbled" },
];

export function groqFaults(groq: FakeGroq): Fault[] {
  return groqFailures.flatMap((failure, index) => {
    const model = liveAnswerModels[index % liveAnswerModels.length]!;
    const name = failure.kind === "status" ? `Groq ${failure.status}` : failure.kind === "rate_limit_headers" ? `Groq rate-limit headers ${failure.headers}` : `Groq ${failure.kind}`;
    return [{ name: `${name} (${model})`, inject: () => groq.inject(model, failure) }];
  });
}

export function telegramFaults(telegram: FakeTelegram): Fault[] {
  return [
    { name: "Telegram 429 on sendMessage", inject: () => telegram.failNext("sendMessage", { error_code: 429, retry_after: 2 }) },
    { name: "Telegram 502 on editMessageText", inject: () => telegram.failNext("editMessageText", { error_code: 502, description: "Bad Gateway" }) },
    { name: "Telegram 429 on editMessageText", inject: () => telegram.failNext("editMessageText", { error_code: 429, retry_after: 1 }) },
    { name: "Telegram 500 on sendMessage", inject: () => telegram.failNext("sendMessage", { error_code: 500, description: "Internal Server Error" }) },
    { name: "Telegram getUpdates failing twice", inject: () => telegram.failNext("getUpdates", { error_code: 502, description: "Bad Gateway" }, 2) },
  ];
}

export function discordFaults(discord: FakeDiscord): Fault[] {
  return [
    { name: "Discord 429 on a message", inject: () => discord.injectRateLimit({ method: "POST", route: "/channels/:id/messages", retryAfterSeconds: 1, times: 1 }) },
    { name: "Discord gateway dropped (1006)", inject: () => discord.dropGatewayConnections() },
    { name: "Discord 429 on an edit", inject: () => discord.injectRateLimit({ method: "PATCH", route: "/channels/:id/messages/:id", retryAfterSeconds: 1, times: 1 }) },
  ];
}

/** Deals the faults out in turn, interleaving the lists, until stopped; returns what was dealt. */
export function dealFaults(lists: readonly (readonly Fault[])[], intervalMs: number): { stop(): string[] } {
  const order: Fault[] = [];
  const longest = Math.max(...lists.map((list) => list.length));
  for (let index = 0; index < longest; index += 1) for (const list of lists) if (list[index] !== undefined) order.push(list[index]!);
  const dealt: string[] = [];
  let next = 0;
  const timer = setInterval(() => {
    const fault = order[next % order.length];
    next += 1;
    if (fault === undefined) return;
    fault.inject();
    dealt.push(fault.name);
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return dealt;
    },
  };
}
