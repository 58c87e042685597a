/**
 * Message Content is a privileged intent: unless it is switched on in the Developer Portal,
 * Discord closes the gateway with 4014 and discord.js rejects the login. Mami then says how to
 * switch it on, in one line, and runs without it.
 */
import { GatewayCloseCodes } from "discord.js";

export const messageContentIntentHint =
  "Discord refused the Message Content intent (gateway close 4014). To enable it: https://discord.com/developers/applications → your application → Bot → Privileged Gateway Intents → turn on MESSAGE CONTENT INTENT → Save Changes, then restart Mami. Until then Mami runs without it: slash commands and DMs work, and guild messages are read only when they mention Mami.";

/** discord.js rejects the login with "Used disallowed intents"; the close code is noted as well, in case the wording changes. */
export function isDisallowedIntentsFailure(error: unknown, closeCodes: readonly number[]): boolean {
  if (closeCodes.includes(GatewayCloseCodes.DisallowedIntents)) return true;
  return error instanceof Error && /disallowed intents/i.test(error.message);
}
