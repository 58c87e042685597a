/**
 * Interaction callbacks and the interaction webhook: deferReply, reply, autocomplete results,
 * editReply (`@original`), follow-ups. Discord forgets an interaction not acknowledged in 3 s.
 */
import { bodyFields, editBotMessage, postBotMessage } from "./bot-messages.js";
import { loadingFlag, type StoredMessage } from "./message-board.js";
import { refuseInvalidMessage } from "./message-rules.js";
import { userPayload } from "./payloads.js";
import { json, noContent, notFound, type RestAnswer } from "./rest-answer.js";
import type { Route } from "./route.js";
import type { FakeDiscordState, InteractionRecord } from "./state.js";

const unknownInteraction = notFound("Unknown interaction", 10062);
const unknownWebhook = notFound("Unknown Webhook", 10015);
const unknownMessage = notFound("Unknown Message", 10008);

/** Callback types that create the original response: 4 a message, 5 a deferred one. */
const messageCallback = 4;
const deferredMessageCallback = 5;

export const interactionRoutes: readonly Route[] = [
  {
    method: "POST",
    pattern: "/interactions/:interactionId/:token/callback",
    needsBotToken: false,
    handle({ params, call, state }) {
      const record = state.interactionByIdAndToken(params["interactionId"] ?? "", params["token"] ?? "");
      if (record === undefined || call.at - record.dispatchedAt > state.settings.acknowledgeDeadlineMs) return unknownInteraction;
      if (record.callbacks.length > 0) return { status: 400, body: { code: 40060, message: "Interaction has already been acknowledged." } };
      const body = bodyFields(call);
      const type = Number(body["type"]);
      const data = (body["data"] ?? {}) as Record<string, unknown>;
      if (type === messageCallback) {
        const refusal = refuseInvalidMessage(data, { creating: true, hasFiles: call.files.length > 0 });
        if (refusal !== undefined) return refusal;
      }
      record.callbacks.push({ type, at: call.at, data });
      if (type === messageCallback || type === deferredMessageCallback) {
        const flags = Number(data["flags"] ?? 0) | (type === deferredMessageCallback ? loadingFlag : 0);
        record.originalMessageId = postInteractionMessage(state, record, { ...data, flags }, "original").id;
      }
      if (call.query.get("with_response") !== "true") return noContent;
      const original = record.originalMessageId === undefined ? undefined : state.board.get(record.originalMessageId);
      return json({
        interaction: { id: record.id, type: 2, response_message_loading: type === deferredMessageCallback, response_message_ephemeral: false },
        resource: { type, ...(original === undefined ? {} : { message: original.payload }) },
      });
    },
  },
  {
    method: "POST",
    pattern: "/webhooks/:applicationId/:token",
    needsBotToken: false,
    handle({ params, call, state }) {
      const record = state.interactions.get(params["token"] ?? "");
      if (record === undefined || record.callbacks.length === 0) return unknownWebhook;
      const body = bodyFields(call);
      const refusal = refuseInvalidMessage(body, { creating: true, hasFiles: call.files.length > 0 });
      return refusal ?? json(postInteractionMessage(state, record, body, "follow-up").payload);
    },
  },
  {
    method: "PATCH",
    pattern: "/webhooks/:applicationId/:token/messages/:messageId",
    needsBotToken: false,
    handle({ params, call, state }) {
      const message = interactionMessage(state, params["token"] ?? "", params["messageId"] ?? "");
      if (!("id" in message)) return message;
      const body = bodyFields(call);
      const refusal = refuseInvalidMessage(body, { creating: false, hasFiles: call.files.length > 0 });
      return refusal ?? json(editBotMessage(message, body));
    },
  },
  {
    method: "GET",
    pattern: "/webhooks/:applicationId/:token/messages/:messageId",
    needsBotToken: false,
    handle({ params, state }) {
      const message = interactionMessage(state, params["token"] ?? "", params["messageId"] ?? "");
      return "id" in message ? json(message.payload) : message;
    },
  },
  {
    method: "DELETE",
    pattern: "/webhooks/:applicationId/:token/messages/:messageId",
    needsBotToken: false,
    handle({ params, state }) {
      const message = interactionMessage(state, params["token"] ?? "", params["messageId"] ?? "");
      if (!("id" in message)) return message;
      message.deleted = true;
      return noContent;
    },
  },
];

/** `@original` or a follow-up's id, within the interaction that the token names. */
function interactionMessage(state: FakeDiscordState, token: string, messageId: string): StoredMessage | RestAnswer {
  const record = state.interactions.get(token);
  if (record === undefined) return unknownWebhook;
  const id = messageId === "@original" ? record.originalMessageId : messageId;
  const message = id === undefined ? undefined : state.board.get(id);
  return message?.interactionToken === token ? message : unknownMessage;
}

function postInteractionMessage(
  state: FakeDiscordState,
  record: InteractionRecord,
  body: Record<string, unknown>,
  which: "original" | "follow-up",
): StoredMessage {
  return postBotMessage(state, {
    channelId: record.channelId,
    body,
    interactionToken: record.token,
    extra: {
      webhook_id: state.world.applicationId,
      application_id: state.world.applicationId,
      // 20 is a slash command's response; follow-ups are ordinary messages.
      type: which === "original" ? 20 : 0,
      interaction_metadata: {
        id: record.id,
        type: 2,
        user: userPayload(record.user),
        authorizing_integration_owners: record.guildId === undefined ? { "1": record.user.id } : { "0": record.guildId },
      },
    },
  });
}
