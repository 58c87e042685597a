import { z } from "zod";
import type { ModelStatusRow } from "../src/core/mami.js";
import { noticeStream } from "../src/core/reply.js";
import type { CommandDefinition } from "./definition.js";

function formatRow(row: ModelStatusRow): string {
  if (!row.live || row.quota === undefined) return `- ${row.model}: gone${row.note === undefined ? "" : ` (${row.note})`}`;
  const { requestsPerDayRemaining: requests, tokensPerMinuteRemaining: tokens, availableInMs } = row.quota;
  const availability = availableInMs <= 0 ? "ready" : `free in ${Math.ceil(availableInMs / 1000)} s`;
  const roles = row.roles.length === 0 ? "" : ` [${row.roles.join(", ")}]`;
  return `- ${row.model}${roles}: ${availability}, ${requests} requests left today, ${tokens} tokens left this minute${row.note === undefined ? "" : ` (${row.note})`}`;
}

export const statusCommand: CommandDefinition<Record<string, never>> = {
  name: "status",
  description: "Each model: live or gone, quota left, when it frees up",
  options: [],
  schema: z.object({}),
  async *run(mami, request) {
    const [rows, usage] = await Promise.all([mami.modelStatus(), mami.usageToday(request)]);
    const requests = `${usage.requests} request${usage.requests === 1 ? "" : "s"}`;
    const lines = ["**Models**", ...rows.map(formatRow), "", `You today: ${requests}, ${usage.tokens} tokens.`];
    yield* noticeStream(lines.join("\n"));
  },
};
