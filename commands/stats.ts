import { z } from "zod";
import { topUsers, type DailyStats } from "../src/core/conversation/daily-stats.js";
import { wordingOf, type Wording } from "../src/core/language/wording.js";
import type { ModelStatusRow } from "../src/core/mami.js";
import { noticeStream } from "../src/core/reply.js";
import type { CommandDefinition } from "./definition.js";

/** Enough to see who drives the day's use without listing everyone. */
const usersShown = 5;

function byCount(entries: Readonly<Record<string, number>>, words: Wording): string {
  const sorted = Object.entries(entries).sort(([, first], [, second]) => second - first);
  return sorted.length === 0 ? words.say("stats.none") : sorted.map(([name, count]) => `${name} ${words.number(count)}`).join(", ");
}

function headroom(row: ModelStatusRow, words: Wording): string {
  if (!row.live || row.quota === undefined) return words.say("stats.gone", { model: row.model });
  const { requestsPerDayRemaining, tokensPerDayRemaining, tokensPerMinuteRemaining, availableInMs } = row.quota;
  const now = availableInMs <= 0 ? words.say("stats.ready") : words.say("stats.freeIn", { seconds: Math.ceil(availableInMs / 1000) });
  return words.say("stats.modelHeadroom", {
    model: row.model,
    now,
    minuteTokens: words.number(tokensPerMinuteRemaining),
    requests: words.number(requestsPerDayRemaining),
    dayTokens: words.number(tokensPerDayRemaining),
  });
}

export function formatStats(stats: DailyStats, models: readonly ModelStatusRow[], words: Wording): string {
  const answers = Object.values(stats.byRole).reduce((total, count) => total + count, 0);
  const modelLines = Object.entries(stats.byModel)
    .sort(([, first], [, second]) => second.tokens - first.tokens)
    .map(([model, figures]) => words.say("stats.modelLine", { model, answers: words.count("unit.answer", figures.requests), tokens: words.count("unit.token", figures.tokens) }));
  const userLines = topUsers(stats, usersShown).map((user, index) =>
    words.say("stats.userLine", { rank: index + 1, name: user.name, key: user.key, tokens: words.count("unit.token", user.tokens), answers: words.count("unit.answer", user.requests) }),
  );
  const noneYet = words.say("stats.noneYet");
  return [
    words.say("stats.today", { day: stats.day, requests: words.count("unit.request", stats.requests), answered: words.number(answers) }),
    words.say("stats.byRole", { roles: byCount(stats.byRole, words) }),
    words.say("stats.byModel"),
    ...(modelLines.length === 0 ? [noneYet] : modelLines),
    words.say("stats.topUsers"),
    ...(userLines.length === 0 ? [noneYet] : userLines),
    words.say("stats.toldBusy", {
      busy: words.number(stats.toldBusy),
      queued: words.number(stats.queued),
      refused: words.number(stats.refused),
      failed: words.number(stats.failed),
    }),
    words.say("stats.headroom"),
    ...models.map((row) => headroom(row, words)),
  ].join("\n");
}

export const statsCommand: CommandDefinition<Record<string, never>> = {
  name: "stats",
  description: (words) => words.say("stats.description"),
  options: [],
  schema: z.object({}),
  async *run(mami, request) {
    const words = wordingOf(request);
    const stats = await mami.statsToday(request);
    if (stats === "needs_admin") {
      yield* noticeStream(words.say("stats.needsAdmin"));
      return;
    }
    yield* noticeStream(formatStats(stats, await mami.modelStatus(), words));
  },
};
