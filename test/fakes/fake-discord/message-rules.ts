/** Discord's refusals of a message body, with its own error JSON, so the bot's handling of them is real. */
import type { RestAnswer } from "./rest-answer.js";

export const maxMessageLength = 2_000;

export function refuseInvalidMessage(body: unknown, { creating, hasFiles }: { creating: boolean; hasFiles: boolean }): RestAnswer | undefined {
  const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const content = typeof fields["content"] === "string" ? fields["content"] : undefined;
  if (content !== undefined && [...content].length > maxMessageLength) {
    return {
      status: 400,
      body: {
        code: 50035,
        message: "Invalid Form Body",
        errors: { content: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: `Must be ${maxMessageLength} or fewer in length.` }] } },
      },
    };
  }
  const hasSomething = (content !== undefined && content !== "") || hasItems(fields["embeds"]) || hasItems(fields["attachments"]) || hasItems(fields["components"]) || hasFiles;
  if (creating && !hasSomething) return { status: 400, body: { code: 50006, message: "Cannot send an empty message" } };
  return undefined;
}

function hasItems(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}
