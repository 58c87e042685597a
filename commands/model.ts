import { z } from "zod";
import type { ConversationPin, MamiCore } from "../src/core/mami-core.js";
import { answerRoles, isAnswerRole } from "../src/core/roles.js";
import type { ReplyChoice } from "../src/core/reply.js";
import type { CommandChoice, CommandDefinition } from "./definition.js";
import { notice } from "./notice.js";

function describePin(pin: ConversationPin | undefined): string {
  if (pin === undefined) return "auto (each message is routed to the role it needs)";
  return "role" in pin ? `the ${pin.role} role` : `the model ${pin.model}`;
}

function modelChoices(core: MamiCore): readonly CommandChoice[] {
  return [
    { name: "auto", value: "auto" },
    ...answerRoles.map((role) => ({ name: `role: ${role}`, value: role })),
    ...core.pinnableModels().map((model) => ({ name: `model: ${model}`, value: model })),
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
  async *run(core, request, { choice }) {
    const wanted = choice?.trim() ?? "";
    if (wanted === "") {
      const current = await core.getPin(request);
      const choices: ReplyChoice[] = modelChoices(core).map((entry) => ({
        label: entry.name,
        command: `/model ${entry.value}`,
      }));
      yield* notice(`This conversation uses ${describePin(current)}. Pick one to change it:`, choices);
      return;
    }
    let pin: ConversationPin | undefined;
    if (wanted === "auto") pin = undefined;
    else if (isAnswerRole(wanted)) pin = { role: wanted };
    else if (core.pinnableModels().includes(wanted)) pin = { model: wanted };
    else {
      yield* notice(
        `I don't know "${wanted}". Use auto, a role (${answerRoles.join(", ")}) or one of the live models: ${core.pinnableModels().join(", ")}.`,
      );
      return;
    }
    await core.setPin(request, pin);
    yield* notice(`This conversation now uses ${describePin(pin)}.`);
  },
};
