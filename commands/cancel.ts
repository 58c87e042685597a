import { z } from "zod";
import { noticeStream } from "../src/core/reply.js";
import type { CommandDefinition } from "./definition.js";

export const cancelCommand: CommandDefinition<Record<string, never>> = {
  name: "cancel",
  aliases: ["stop"],
  description: "Stop reading a long document",
  options: [],
  schema: z.object({}),
  run(mami, request) {
    const stopped = mami.cancelReadings(request);
    if (stopped.length === 0) return noticeStream("Nothing to stop: I'm not reading a document for you here.");
    return noticeStream(`Stopping the reading of ${stopped.join(", ")}. What it held of the models' quota is released.`);
  },
};
