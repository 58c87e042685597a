import { z } from "zod";
import { wordingOf } from "../src/core/language/wording.js";
import { noticeStream } from "../src/core/reply.js";
import type { CommandDefinition } from "./definition.js";

export const helpCommand: CommandDefinition<Record<string, never>> = {
  name: "help",
  aliases: ["start"],
  description: (words) => words.say("help.description"),
  options: [],
  schema: z.object({}),
  run: (_mami, request) => noticeStream(wordingOf(request).say("help.text")),
};
