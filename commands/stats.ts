import { z } from "zod";
import { topUsers, type DailyStats } from "../src/core/conversation/daily-stats.js";
import type { ModelStatusRow } from "../src/core/mami.js";
import { noticeStream } from "../src/core/reply.js";
import type { CommandDefinition } from "./definition.js";

/** Enough to see who drives the day's use without listing everyone. */
const usersShown = 5;

function number(value: number): string {
  return value.toLocaleString("en-US");
}

function counted(value: number, word: string): string {
  return `${number(value)} ${word}${value === 1 ? "" : "s"}`;
}

function byCount(entries: Readonly<Record<string, number>>): string {
  const sorted = Object.entries(entries).sort(([, first], [, second]) => second - first);
  return sorted.length === 0 ? "none" : sorted.map(([name, count]) => `${name} ${number(count)}`).join(", ");
}

function headroom(row: ModelStatusRow): string {
  if (!row.live || row.quota === undefined) return `- ${row.model}: gone`;
  const { requestsPerDayRemaining, tokensPerDayRemaining, tokensPerMinuteRemaining, availableInMs } = row.quota;
  const now = availableInMs <= 0 ? "ready" : `free in ${Math.ceil(availableInMs / 1000)} s`;
  return `- ${row.model}: ${now}; ${number(tokensPerMinuteRemaining)} tokens this minute, ${number(requestsPerDayRemaining)} requests and ${number(tokensPerDayRemaining)} tokens left today`;
}

export function formatStats(stats: DailyStats, models: readonly ModelStatusRow[]): string {
  const answers = Object.values(stats.byRole).reduce((total, count) => total + count, 0);
  const modelLines = Object.entries(stats.byModel)
    .sort(([, first], [, second]) => second.tokens - first.tokens)
    .map(([model, figures]) => `- ${model}: ${counted(figures.requests, "answer")}, ${counted(figures.tokens, "token")}`);
  const userLines = topUsers(stats, usersShown).map((user, index) => `${index + 1}. ${user.name} (${user.key}): ${counted(user.tokens, "token")}, ${counted(user.requests, "answer")}`);
  return [
    `**Today (${stats.day}, UTC), every chat:** ${counted(stats.requests, "request")}, ${number(answers)} answered.`,
    `**By role:** ${byCount(stats.byRole)}.`,
    "**By model:**",
    ...(modelLines.length === 0 ? ["- none yet"] : modelLines),
    "**Top users by tokens:**",
    ...(userLines.length === 0 ? ["- none yet"] : userLines),
    `**Told busy:** ${number(stats.toldBusy)} (waited in the queue and then answered: ${number(stats.queued)}; refused by the safety screen: ${number(stats.refused)}; other errors: ${number(stats.failed)}).`,
    "**Quota headroom:**",
    ...models.map(headroom),
  ].join("\n");
}

export const statsCommand: CommandDefinition<Record<string, never>> = {
  name: "stats",
  description: "For the bot's operators: today's requests, models, top users and quota headroom",
  options: [],
  schema: z.object({}),
  async *run(mami, request) {
    const stats = await mami.statsToday(request);
    if (stats === "needs_admin") {
      yield* noticeStream("Only the bot's operators (ADMIN_USERS) can see /stats. /usage shows your own figures.");
      return;
    }
    yield* noticeStream(formatStats(stats, await mami.modelStatus()));
  },
};
