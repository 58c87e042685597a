import { z } from "zod";
import type { UsageReport } from "../src/core/conversation/usage-report.js";
import { noticeStream } from "../src/core/reply.js";
import type { CommandDefinition } from "./definition.js";

function plural(count: number, word: string): string {
  return `${count.toLocaleString("en-US")} ${word}${count === 1 ? "" : "s"}`;
}

function renewal(milliseconds: number): string {
  const minutes = Math.max(1, Math.ceil(milliseconds / 60_000));
  const wait = minutes < 90 ? plural(minutes, "minute") : plural(Math.round(minutes / 60), "hour");
  return `in about ${wait} (midnight UTC)`;
}

export function formatUsage(report: UsageReport): string {
  const used = `**Your usage today:** ${plural(report.requests, "request")}, ${plural(report.tokens, "token")}.`;
  if (report.tokensLeft === undefined) return `${used}\nThere is no daily budget per user here. The count starts again ${renewal(report.renewsInMs)}.`;
  return `${used}\n**Left:** ${report.tokensLeft.toLocaleString("en-US")} of your ${report.dailyTokens.toLocaleString("en-US")} tokens for today; the budget renews ${renewal(report.renewsInMs)}.`;
}

export const usageCommand: CommandDefinition<Record<string, never>> = {
  name: "usage",
  description: "Your requests and tokens today, the budget left and when it renews",
  options: [],
  schema: z.object({}),
  async *run(mami, request) {
    yield* noticeStream(formatUsage(await mami.usageReport(request)));
  },
};
