import { z } from "zod";
import type { UsageReport } from "../src/core/conversation/usage-report.js";
import { wordingOf, type Wording } from "../src/core/language/wording.js";
import { noticeStream } from "../src/core/reply.js";
import type { CommandDefinition } from "./definition.js";

function renewal(milliseconds: number, words: Wording): string {
  const minutes = Math.max(1, Math.ceil(milliseconds / 60_000));
  const wait = minutes < 90 ? words.count("unit.minute", minutes) : words.count("unit.hour", Math.round(minutes / 60));
  return words.say("usage.renewal", { wait });
}

export function formatUsage(report: UsageReport, words: Wording): string {
  const used = words.say("usage.used", { requests: words.count("unit.request", report.requests), tokens: words.count("unit.token", report.tokens) });
  const renews = renewal(report.renewsInMs, words);
  if (report.tokensLeft === undefined) return `${used}\n${words.say("usage.noBudget", { renewal: renews })}`;
  return `${used}\n${words.say("usage.left", { left: words.number(report.tokensLeft), daily: words.number(report.dailyTokens), renewal: renews })}`;
}

export const usageCommand: CommandDefinition<Record<string, never>> = {
  name: "usage",
  description: (words) => words.say("usage.description"),
  options: [],
  schema: z.object({}),
  async *run(mami, request) {
    yield* noticeStream(formatUsage(await mami.usageReport(request), wordingOf(request)));
  },
};
