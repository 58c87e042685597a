import { badRequest } from "./bot-api-error.js";
import type { MethodHandler } from "./method-context.js";
import { numberParam } from "./request-params.js";

/**
 * getChatMember: "administrator" for the users a test made admins of a group (`makeAdministrator`),
 * "member" for everyone else, as Telegram answers for a group's ordinary members.
 */
const getChatMember: MethodHandler = (world, { params }) => {
  const chatId = numberParam(params, "chat_id");
  const userId = numberParam(params, "user_id");
  if (chatId === undefined || !world.chats.hasChat(chatId)) throw badRequest("chat not found");
  if (userId === undefined) throw badRequest("user not found");
  const isAdministrator = world.administrators.get(chatId)?.has(userId) === true;
  return {
    status: isAdministrator ? "administrator" : "member",
    user: { id: userId, is_bot: false, first_name: `User ${userId}` },
    ...(isAdministrator ? { can_be_edited: false, is_anonymous: false, can_manage_chat: true } : {}),
  };
};

export const memberMethods: Readonly<Record<string, MethodHandler>> = { getChatMember };
