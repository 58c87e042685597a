/** Channel messages and typing: what a bot does when it answers a message. */
import { bodyFields, editBotMessage, isKnownChannel, postBotMessage } from "./bot-messages.js";
import { refuseInvalidMessage } from "./message-rules.js";
import { json, noContent, notFound } from "./rest-answer.js";
import type { Route } from "./route.js";

const unknownChannel = notFound("Unknown Channel", 10003);
const unknownMessage = notFound("Unknown Message", 10008);

export const channelRoutes: readonly Route[] = [
  {
    method: "POST",
    pattern: "/channels/:channelId/messages",
    needsBotToken: true,
    handle({ params, call, state }) {
      const channelId = params["channelId"] ?? "";
      if (!isKnownChannel(state, channelId)) return unknownChannel;
      const body = bodyFields(call);
      const refusal = refuseInvalidMessage(body, { creating: true, hasFiles: call.files.length > 0 });
      if (refusal !== undefined) return refusal;
      return json(postBotMessage(state, { channelId, body }).payload);
    },
  },
  {
    method: "PATCH",
    pattern: "/channels/:channelId/messages/:messageId",
    needsBotToken: true,
    handle({ params, call, state }) {
      const message = state.board.get(params["messageId"] ?? "");
      if (message === undefined || message.channelId !== params["channelId"]) return unknownMessage;
      if (!message.fromBot) return { status: 403, body: { code: 50005, message: "Cannot edit a message authored by another user" } };
      const body = bodyFields(call);
      const refusal = refuseInvalidMessage(body, { creating: false, hasFiles: call.files.length > 0 });
      return refusal ?? json(editBotMessage(message, body));
    },
  },
  {
    // A channel's history, newest first: `limit` (1 to 100, default 50) and `before` a message id.
    method: "GET",
    pattern: "/channels/:channelId/messages",
    needsBotToken: true,
    handle({ params, call, state }) {
      const channelId = params["channelId"] ?? "";
      if (!isKnownChannel(state, channelId)) return unknownChannel;
      const limit = Math.min(100, Math.max(1, Number(call.query.get("limit") ?? 50)));
      const before = call.query.get("before");
      const listed = state.board.inChannel(channelId).filter((message) => before === null || BigInt(message.id) < BigInt(before));
      return json(listed.slice(0, limit).map((message) => message.payload));
    },
  },
  {
    method: "GET",
    pattern: "/channels/:channelId/messages/:messageId",
    needsBotToken: true,
    handle({ params, state }) {
      const message = state.board.get(params["messageId"] ?? "");
      return message === undefined || message.channelId !== params["channelId"] ? unknownMessage : json(message.payload);
    },
  },
  {
    method: "DELETE",
    pattern: "/channels/:channelId/messages/:messageId",
    needsBotToken: true,
    handle({ params, state }) {
      const message = state.board.get(params["messageId"] ?? "");
      if (message === undefined || message.channelId !== params["channelId"]) return unknownMessage;
      message.deleted = true;
      return noContent;
    },
  },
  {
    method: "POST",
    pattern: "/channels/:channelId/typing",
    needsBotToken: true,
    handle: ({ params, state }) => (isKnownChannel(state, params["channelId"] ?? "") ? noContent : unknownChannel),
  },
];
