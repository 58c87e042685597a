import { z } from "zod";
import type { ModelStatusRow } from "../src/core/mami-core.js";
import type { CommandDefinition } from "./definition.js";
import { notice } from "./notice.js";

function formatRow(row: ModelStatusRow): string {
  if (!row.live) return `- ${row.model}: gone${row.note === undefined ? "" : ` (${row.note})`}`;
  const requests = row.requestsPerDayRemaining === undefined ? "?" : String(row.requestsPerDayRemaining);
  const tokens = row.tokensPerMinuteRemaining === undefined ? "?" : String(row.tokensPerMinuteRemaining);
  const availability = row.availableInMs <= 0 ? "ready" : `free in ${Math.ceil(row.availableInMs / 1000)} s`;
  const roles = row.roles.length === 0 ? "" : ` [${row.roles.join(", ")}]`;
  return `- ${row.model}${roles}: ${availability}, ${requests} requests left today, ${tokens} tokens left this minute${row.note === undefined ? "" : ` (${row.note})`}`;
}

export const statusCommand: CommandDefinition<Record<string, never>> = {
  name: "status",
  description: "Each model: live or gone, quota left, when it frees up",
  options: [],
  schema: z.object({}),
  async *run(core, request) {
    const [rows, usage] = await Promise.all([core.modelStatus(), core.usageToday(request)]);
    const requests = `${usage.requests} request${usage.requests === 1 ? "" : "s"}`;
    const lines = ["**Models**", ...rows.map(formatRow), "", `You today: ${requests}, ${usage.tokens} tokens.`];
    yield* notice(lines.join("\n"));
  },
};
