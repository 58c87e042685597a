import { z } from "zod";
import type { ModelStatusRow, WebSearchToday } from "../src/core/mami.js";
import { noticeStream } from "../src/core/reply.js";
import type { CommandDefinition } from "./definition.js";

function formatRow(row: ModelStatusRow): string {
  if (!row.live || row.quota === undefined) return `- ${row.model}: gone${row.note === undefined ? "" : ` (${row.note})`}`;
  const { requestsPerDayRemaining: requests, tokensPerMinuteRemaining: tokens, availableInMs } = row.quota;
  const availability = availableInMs <= 0 ? "ready" : `free in ${Math.ceil(availableInMs / 1000)} s`;
  const roles = row.roles.length === 0 ? "" : ` [${row.roles.join(", ")}]`;
  return `- ${row.model}${roles}: ${availability}, ${requests} requests left today, ${tokens} tokens left this minute${row.note === undefined ? "" : ` (${row.note})`}`;
}

function webSearchLine(search: WebSearchToday): string {
  const yours = search.dailyShare <= 0 ? `${search.used} used today` : `${Math.max(0, search.dailyShare - search.used)} of your ${search.dailyShare} left today`;
  const systems = search.systemsRequestsLeft === 0 ? "no search system has requests left today" : `the search systems have ${search.systemsRequestsLeft} requests left today, for everyone`;
  return `Web searches: ${yours}; ${systems}.`;
}

export const statusCommand: CommandDefinition<Record<string, never>> = {
  name: "status",
  description: "Each model: live or gone, quota left, when it frees up",
  options: [],
  schema: z.object({}),
  async *run(mami, request) {
    const [rows, usage, search] = await Promise.all([mami.modelStatus(), mami.usageToday(request), mami.webSearchToday(request)]);
    const requests = `${usage.requests} request${usage.requests === 1 ? "" : "s"}`;
    const lines = ["**Models**", ...rows.map(formatRow), "", `You today: ${requests}, ${usage.tokens} tokens.`, webSearchLine(search)];
    yield* noticeStream(lines.join("\n"));
  },
};
