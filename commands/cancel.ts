import { z } from "zod";
import { wordingOf } from "../src/core/language/wording.js";
import { noticeStream } from "../src/core/reply.js";
import type { CommandDefinition } from "./definition.js";

export const cancelCommand: CommandDefinition<Record<string, never>> = {
  name: "cancel",
  aliases: ["stop"],
  description: (words) => words.say("cancel.description"),
  options: [],
  schema: z.object({}),
  run(mami, request) {
    const words = wordingOf(request);
    const stopped = mami.cancelReadings(request);
    if (stopped.length === 0) return noticeStream(words.say("cancel.nothing"));
    return noticeStream(words.say("cancel.stopping", { names: stopped.join(", ") }));
  },
};
