/** Roles a user request can be routed to. */
export const answerRoles = ["chat", "logic", "code", "vision", "long_context", "search"] as const;
export type AnswerRole = (typeof answerRoles)[number];

/**
 * The answer roles whose models lend each other their quota: when one role's chain is spent, the
 * others' models answer (widening), and a conversation may be pinned to any of them. `search`
 * stands apart: its models are Groq's compound systems, which look things up on the web and have
 * a day's quota of a few hundred requests, so they answer only questions that need a search, and
 * an ordinary model never answers a search as if it had looked things up.
 */
export type OrdinaryAnswerRole = Exclude<AnswerRole, "search">;
export const ordinaryAnswerRoles: readonly OrdinaryAnswerRole[] = answerRoles.filter((role): role is OrdinaryAnswerRole => role !== "search");

/** Internal roles: the fast classifier, the safety screen (text, and images), and speech-to-text. */
export const serviceRoles = ["router", "safety", "safety_vision", "transcribe"] as const;
export type ServiceRole = (typeof serviceRoles)[number];

export type Role = AnswerRole | ServiceRole;

export function isAnswerRole(value: string): value is AnswerRole {
  return (answerRoles as readonly string[]).includes(value);
}

export function isOrdinaryAnswerRole(value: string): value is OrdinaryAnswerRole {
  return (ordinaryAnswerRoles as readonly string[]).includes(value);
}
