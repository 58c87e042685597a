import { z } from "zod";
import { wordingOf, type Wording } from "../src/core/language/wording.js";
import type { ModelStatusRow, WebSearchToday } from "../src/core/mami.js";
import { noticeStream } from "../src/core/reply.js";
import type { CommandDefinition } from "./definition.js";

function formatRow(row: ModelStatusRow, words: Wording): string {
  const note = row.note === undefined ? "" : words.say("status.note", { note: row.note });
  if (!row.live || row.quota === undefined) return words.say("status.gone", { model: row.model, note });
  const { requestsPerDayRemaining: requests, tokensPerMinuteRemaining: tokens, availableInMs } = row.quota;
  const availability = availableInMs <= 0 ? words.say("status.ready") : words.say("status.freeIn", { seconds: Math.ceil(availableInMs / 1000) });
  const roles = row.roles.length === 0 ? "" : ` [${row.roles.join(", ")}]`;
  return words.say("status.row", { model: row.model, roles, availability, requests, tokens, note });
}

function webSearchLine(search: WebSearchToday, words: Wording): string {
  const yours =
    search.dailyShare <= 0
      ? words.say("status.searchUsed", { used: search.used })
      : words.say("status.searchLeft", { left: Math.max(0, search.dailyShare - search.used), share: search.dailyShare });
  const systems = search.systemsRequestsLeft === 0 ? words.say("status.searchSystemsOut") : words.say("status.searchSystemsLeft", { left: search.systemsRequestsLeft });
  return words.say("status.search", { yours, systems });
}

export const statusCommand: CommandDefinition<Record<string, never>> = {
  name: "status",
  description: (words) => words.say("status.description"),
  options: [],
  schema: z.object({}),
  async *run(mami, request) {
    const words = wordingOf(request);
    const [rows, usage, search] = await Promise.all([mami.modelStatus(), mami.usageToday(request), mami.webSearchToday(request)]);
    const lines = [
      words.say("status.models"),
      ...rows.map((row) => formatRow(row, words)),
      "",
      // The figures as they are, unformatted: the status is read by operators as much as users.
      words.say("status.you", { requests: words.count("unit.request", usage.requests), tokens: usage.tokens }),
      webSearchLine(search, words),
    ];
    yield* noticeStream(lines.join("\n"));
  },
};
