import { z } from "zod";
import type { CommandDefinition } from "./definition.js";
import { notice } from "./notice.js";

export const resetCommand: CommandDefinition<Record<string, never>> = {
  name: "reset",
  description: "Forget this conversation's history",
  options: [],
  schema: z.object({}),
  async *run(core, request) {
    await core.resetConversation(request);
    yield* notice("Done: I forgot this conversation. The next message starts fresh.");
  },
};
