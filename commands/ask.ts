import { z } from "zod";
import { noticeStream } from "../src/core/reply.js";
import type { CommandDefinition } from "./definition.js";

export const askCommand: CommandDefinition<{ prompt?: string | undefined }> = {
  name: "ask",
  description: "Ask Mami a question, optionally about an image or a file",
  options: [
    { name: "prompt", description: "Your question", type: "string", required: true },
    { name: "image", description: "An image to ask about", type: "attachment", required: false },
    { name: "file", description: "A text, code or PDF file to ask about", type: "attachment", required: false },
  ],
  textOption: "prompt",
  schema: z.object({ prompt: z.string().trim().max(8000).optional() }),
  run(mami, request, { prompt }) {
    const text = prompt ?? "";
    if (text === "" && request.attachments.length === 0) {
      return noticeStream("Tell me what to ask, for example: `/ask what is a monad?`");
    }
    // The question itself goes through the whole pipeline, as a message would.
    const { command: _command, ...question } = request;
    return mami.reply({ ...question, text });
  },
};
