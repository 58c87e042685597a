import { z } from "zod";
import { noticeStream } from "../src/core/reply.js";
import type { CommandDefinition } from "./definition.js";

export const resetCommand: CommandDefinition<Record<string, never>> = {
  name: "reset",
  description: "Forget this conversation's history",
  options: [],
  schema: z.object({}),
  async *run(mami, request) {
    const change = await mami.resetConversation(request);
    yield* noticeStream(
      change === "changed"
        ? "Done: I forgot this conversation. The next message starts fresh."
        : "Only this chat's admins can make me forget its conversations. A fresh mention starts a new conversation anyway.",
    );
  },
};
