import { z } from "zod";
import { wordingOf } from "../src/core/language/wording.js";
import { noticeStream } from "../src/core/reply.js";
import type { CommandDefinition } from "./definition.js";

export const askCommand: CommandDefinition<{ prompt?: string | undefined }> = {
  name: "ask",
  description: (words) => words.say("ask.description"),
  options: [
    { name: "prompt", description: (words) => words.say("ask.option.prompt"), type: "string", required: true },
    { name: "image", description: (words) => words.say("ask.option.image"), type: "attachment", required: false },
    { name: "file", description: (words) => words.say("ask.option.file"), type: "attachment", required: false },
  ],
  textOption: "prompt",
  schema: z.object({ prompt: z.string().trim().max(8000).optional() }),
  run(mami, request, { prompt }) {
    const text = prompt ?? "";
    if (text === "" && request.attachments.length === 0) {
      return noticeStream(wordingOf(request).say("ask.empty"));
    }
    // The question itself goes through the whole pipeline, as a message would.
    const { command: _command, ...question } = request;
    return mami.reply({ ...question, text });
  },
};
