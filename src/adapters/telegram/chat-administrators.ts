import type { Api } from "grammy";

/**
 * Whether the user administers the chat, as Telegram says (getChatMember): a group's settings
 * (its pin, its history) are its admins' to change. Unknown counts as no.
 */
export async function isChatAdministrator(api: Api, chatId: number, userId: number | undefined): Promise<boolean> {
  if (userId === undefined) return false;
  try {
    const member = await api.getChatMember(chatId, userId);
    return member.status === "creator" || member.status === "administrator";
  } catch {
    return false;
  }
}
