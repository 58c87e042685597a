import { z } from "zod";
import { wordingOf } from "../src/core/language/wording.js";
import { noticeStream } from "../src/core/reply.js";
import type { CommandDefinition } from "./definition.js";

export const resetCommand: CommandDefinition<Record<string, never>> = {
  name: "reset",
  description: (words) => words.say("reset.description"),
  options: [],
  schema: z.object({}),
  async *run(mami, request) {
    const change = await mami.resetConversation(request);
    const words = wordingOf(request);
    yield* noticeStream(change === "changed" ? words.say("reset.done") : words.say("reset.needsAdmin"));
  },
};
