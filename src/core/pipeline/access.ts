import type { MamiConfig } from "../config/config.js";
import { prefixedId, type ChatRequest } from "../request.js";

export function isAdmin(request: ChatRequest, config: MamiConfig): boolean {
  return config.adminUsers.includes(prefixedId(request.location.platform, request.author.id));
}

/**
 * Allow-lists: with neither list set everyone is allowed; otherwise a listed user is allowed
 * anywhere and anyone is allowed in a listed chat. Admins always pass; the terminal is its
 * operator's own.
 */
export function isAllowed(request: ChatRequest, config: MamiConfig): boolean {
  if (request.location.platform === "cli" || isAdmin(request, config)) return true;
  const userId = prefixedId(request.location.platform, request.author.id);
  const chatId = prefixedId(request.location.platform, request.location.chatId);
  if (config.allowedUsers.length === 0 && config.allowedChats.length === 0) return true;
  return config.allowedUsers.includes(userId) || config.allowedChats.includes(chatId);
}
