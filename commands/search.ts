import { z } from "zod";
import { noticeStream } from "../src/core/reply.js";
import type { CommandDefinition } from "./definition.js";

export const searchCommand: CommandDefinition<{ query?: string | undefined }> = {
  name: "search",
  description: "Look something up on the web and answer with the sources",
  options: [{ name: "query", description: "What to look up", type: "string", required: true }],
  textOption: "query",
  schema: z.object({ query: z.string().trim().max(2000).optional() }),
  run(mami, request, { query }) {
    const text = query ?? "";
    if (text === "") return noticeStream("Tell me what to look up, for example: `/search latest news about the Artemis mission`");
    // The question goes through the whole pipeline, as a message would, marked for the search role.
    const { command: _command, ...question } = request;
    return mami.reply({ ...question, text, wantsSearch: true });
  },
};
