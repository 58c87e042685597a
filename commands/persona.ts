import { z } from "zod";
import { maxPersonaCharacters } from "../src/core/conversation/persona.js";
import { noticeStream } from "../src/core/reply.js";
import type { CommandDefinition } from "./definition.js";

/** Bounded here too, so an oversized option is refused before anything is read or screened. */
const longestOption = maxPersonaCharacters + 200;

export const personaCommand: CommandDefinition<{ text?: string | undefined }> = {
  name: "persona",
  description: "Show, set or reset this chat's persona (a system prompt of its own)",
  options: [{ name: "text", description: `How Mami should act here (up to ${maxPersonaCharacters} characters), or reset`, type: "string", required: false }],
  textOption: "text",
  schema: z.object({ text: z.string().trim().max(longestOption).optional() }),
  async *run(mami, request, { text }) {
    const wanted = text?.trim() ?? "";
    if (wanted === "") {
      const current = await mami.getPersona(request);
      yield* noticeStream(
        current === undefined
          ? "This chat has no persona: I answer as myself. Set one with `/persona TEXT`, for example `/persona You are a patient maths tutor.`"
          : `This chat's persona:\n\n${current}\n\n\`/persona reset\` removes it.`,
      );
      return;
    }
    const reset = wanted.toLowerCase() === "reset";
    const change = await mami.setPersona(request, reset ? undefined : wanted);
    if (change === "needs_admin") {
      yield* noticeStream("Only this chat's admins can change its persona.");
      return;
    }
    if (change !== "changed") {
      yield* noticeStream(`I can't use that persona. ${change.unusable}`);
      return;
    }
    yield* noticeStream(reset ? "Done: this chat has no persona now." : "Done: I'll answer in this chat with that persona from the next message on.");
  },
};
