import { z } from "zod";
import { wordingOf } from "../src/core/language/wording.js";
import { noticeStream } from "../src/core/reply.js";
import type { CommandDefinition } from "./definition.js";

export const searchCommand: CommandDefinition<{ query?: string | undefined }> = {
  name: "search",
  description: (words) => words.say("search.description"),
  options: [{ name: "query", description: (words) => words.say("search.option.query"), type: "string", required: true }],
  textOption: "query",
  schema: z.object({ query: z.string().trim().max(2000).optional() }),
  run(mami, request, { query }) {
    const text = query ?? "";
    if (text === "") return noticeStream(wordingOf(request).say("search.empty"));
    // The question goes through the whole pipeline, as a message would, marked for the search role.
    const { command: _command, ...question } = request;
    return mami.reply({ ...question, text, wantsSearch: true });
  },
};
