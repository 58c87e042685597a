/** Roles a user request can be routed to. */
export const answerRoles = ["chat", "logic", "code", "vision", "long_context"] as const;
export type AnswerRole = (typeof answerRoles)[number];

/** Internal roles: the fast classifier, the safety screen (text, and images), and speech-to-text. */
export const serviceRoles = ["router", "safety", "safety_vision", "transcribe"] as const;
export type ServiceRole = (typeof serviceRoles)[number];

export type Role = AnswerRole | ServiceRole;

export function isAnswerRole(value: string): value is AnswerRole {
  return (answerRoles as readonly string[]).includes(value);
}
