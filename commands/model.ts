import { z } from "zod";
import type { ConversationPin } from "../src/core/conversation/settings.js";
import type { Mami } from "../src/core/mami.js";
import { noticeStream, type ReplyChoice } from "../src/core/reply.js";
import { isOrdinaryAnswerRole, ordinaryAnswerRoles } from "../src/core/roles.js";
import type { CommandChoice, CommandDefinition } from "./definition.js";

function describePin(pin: ConversationPin | undefined): string {
  if (pin === undefined) return "auto (each message is routed to the role it needs)";
  return "role" in pin ? `the ${pin.role} role` : `the model ${pin.model}`;
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
  description: "Show or pin the role or model for this conversation",
  options: [
    {
      name: "choice",
      description: "A role (chat, logic, code, vision, long_context), a model id, or auto",
      type: "string",
      required: false,
      choices: modelChoices,
    },
  ],
  textOption: "choice",
  schema: z.object({ choice: z.string().trim().max(200).optional() }),
  async *run(mami, request, { choice }) {
    const wanted = choice?.trim() ?? "";
    if (wanted === "") {
      const current = await mami.getPin(request);
      const choices: ReplyChoice[] = modelChoices(mami).map((entry) => ({
        label: entry.name,
        command: `/model ${entry.value}`,
      }));
      yield* noticeStream(`This conversation uses ${describePin(current)}. Pick one to change it:`, choices);
      return;
    }
    if (wanted === "search") {
      yield* noticeStream("Web search answers one question at a time: ask with `/search your question`, or just ask about news, prices or the weather.");
      return;
    }
    let pin: ConversationPin | undefined;
    if (wanted === "auto") pin = undefined;
    else if (isOrdinaryAnswerRole(wanted)) pin = { role: wanted };
    else if (mami.pinnableModels().includes(wanted)) pin = { model: wanted };
    else {
      yield* noticeStream(
        `I don't know "${wanted}". Use auto, a role (${ordinaryAnswerRoles.join(", ")}) or one of the live models: ${mami.pinnableModels().join(", ")}.`,
      );
      return;
    }
    const change = await mami.setPin(request, pin);
    yield* noticeStream(
      change === "changed" ? `This conversation now uses ${describePin(pin)}.` : "Only this chat's admins can pin a role or model for everyone here.",
    );
  },
};
