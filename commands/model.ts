import { z } from "zod";
import type { ConversationPin } from "../src/core/conversation/settings.js";
import type { Mami } from "../src/core/mami.js";
import { wordingOf, type Wording } from "../src/core/language/wording.js";
import { noticeStream, type ReplyChoice } from "../src/core/reply.js";
import { isOrdinaryAnswerRole, ordinaryAnswerRoles } from "../src/core/roles.js";
import type { CommandChoice, CommandDefinition } from "./definition.js";

function describePin(pin: ConversationPin | undefined, words: Wording): string {
  if (pin === undefined) return words.say("model.pin.auto");
  return "role" in pin ? words.say("model.pin.role", { role: pin.role }) : words.say("model.pin.model", { model: pin.model });
}

function modelChoices(mami: Mami): readonly CommandChoice[] {
  return [
    { name: "auto", value: "auto" },
    // Not search: it answers one question at a time, through the router or /search.
    ...ordinaryAnswerRoles.map((role) => ({ name: `role: ${role}`, value: role })),
    ...mami.pinnableModels().map((model) => ({ name: `model: ${model}`, value: model })),
  ];
}

export const modelCommand: CommandDefinition<{ choice?: string | undefined }> = {
  name: "model",
  description: (words) => words.say("model.description"),
  options: [
    {
      name: "choice",
      description: (words) => words.say("model.option.choice"),
      type: "string",
      required: false,
      choices: modelChoices,
    },
  ],
  textOption: "choice",
  schema: z.object({ choice: z.string().trim().max(200).optional() }),
  async *run(mami, request, { choice }) {
    const words = wordingOf(request);
    const wanted = choice?.trim() ?? "";
    if (wanted === "") {
      const current = await mami.getPin(request);
      const choices: ReplyChoice[] = modelChoices(mami).map((entry) => ({
        label: entry.name,
        command: `/model ${entry.value}`,
      }));
      yield* noticeStream(words.say("model.current", { pin: describePin(current, words) }), choices);
      return;
    }
    if (wanted === "search") {
      yield* noticeStream(words.say("model.search"));
      return;
    }
    let pin: ConversationPin | undefined;
    if (wanted === "auto") pin = undefined;
    else if (isOrdinaryAnswerRole(wanted)) pin = { role: wanted };
    else if (mami.pinnableModels().includes(wanted)) pin = { model: wanted };
    else {
      yield* noticeStream(words.say("model.unknown", { wanted, roles: ordinaryAnswerRoles.join(", "), models: mami.pinnableModels().join(", ") }));
      return;
    }
    const change = await mami.setPin(request, pin);
    yield* noticeStream(change === "changed" ? words.say("model.changed", { pin: describePin(pin, words) }) : words.say("model.needsAdmin"));
  },
};
