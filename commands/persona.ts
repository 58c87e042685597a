import { z } from "zod";
import { maxPersonaCharacters } from "../src/core/conversation/persona.js";
import { wordingOf } from "../src/core/language/wording.js";
import { noticeStream } from "../src/core/reply.js";
import type { CommandDefinition } from "./definition.js";

/** Bounded here too, so an oversized option is refused before anything is read or screened. */
const longestOption = maxPersonaCharacters + 200;

export const personaCommand: CommandDefinition<{ text?: string | undefined }> = {
  name: "persona",
  description: (words) => words.say("persona.description"),
  options: [{ name: "text", description: (words) => words.say("persona.option.text", { limit: maxPersonaCharacters }), type: "string", required: false }],
  textOption: "text",
  schema: z.object({ text: z.string().trim().max(longestOption).optional() }),
  async *run(mami, request, { text }) {
    const words = wordingOf(request);
    const wanted = text?.trim() ?? "";
    if (wanted === "") {
      const current = await mami.getPersona(request);
      yield* noticeStream(current === undefined ? words.say("persona.none") : words.say("persona.current", { persona: current }));
      return;
    }
    const reset = wanted.toLowerCase() === "reset";
    const change = await mami.setPersona(request, reset ? undefined : wanted);
    if (change === "needs_admin") {
      yield* noticeStream(words.say("persona.needsAdmin"));
      return;
    }
    if (change !== "changed") {
      yield* noticeStream(words.say("persona.unusable", { reason: change.unusable }));
      return;
    }
    yield* noticeStream(reset ? words.say("persona.removed") : words.say("persona.set"));
  },
};
