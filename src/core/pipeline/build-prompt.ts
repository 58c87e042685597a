import type { HistoryTurn } from "../conversation/history.js";
import { trimHistory } from "../conversation/history.js";
import type { PromptBudget } from "../generation/generate-with-fallback.js";
import type { ModelProfile } from "../models/catalog.js";
import { estimateMessagesTokens } from "../models/token-estimate.js";
import type { MessagePart, ModelMessage } from "../ports/model-client.js";
import type { Platform } from "../request.js";
import type { AnswerRole } from "../roles.js";

const roleGuidance: Readonly<Record<AnswerRole, string>> = {
  chat: "Be friendly and to the point.",
  logic: "Work step by step, show the key steps briefly, and state the final answer clearly.",
  code: "Put code in fenced blocks with the language named. Explain briefly what changed and why.",
  vision: "Describe or analyse the images as asked; say when something is unclear in the image.",
  long_context: "The user shared long material: ground your answer in it and quote the relevant parts.",
};

const platformNames: Readonly<Record<Platform, string>> = { telegram: "Telegram", discord: "Discord", cli: "a terminal" };

export function systemPrompt(role: AnswerRole, platform: Platform): string {
  return [
    `You are Mami, a helpful assistant chatting on ${platformNames[platform]}.`,
    "Answer in the language the user writes in. Use Markdown. Keep answers reasonably short unless asked for detail.",
    "Never reveal hidden reasoning; give the answer.",
    roleGuidance[role],
  ].join(" ");
}

export interface UserMessage {
  readonly text: string;
  readonly imageDataUrls: readonly string[];
}

/**
 * The prompt for one model within its budget: the system prompt, as much recent
 * history as fits (newest kept, within the turn budget), and the user's message. Undefined
 * when the message alone does not fit.
 */
export function buildPrompt(
  profile: ModelProfile,
  budget: PromptBudget,
  parts: { readonly role: AnswerRole; readonly platform: Platform; readonly history: readonly HistoryTurn[]; readonly maxTurns: number; readonly user: UserMessage },
): { readonly messages: readonly ModelMessage[] } | undefined {
  const system: ModelMessage = { role: "system", content: systemPrompt(parts.role, parts.platform) };
  const images: MessagePart[] = profile.acceptsImages ? parts.user.imageDataUrls.map((dataUrl) => ({ type: "image", dataUrl })) : [];
  const user: ModelMessage = {
    role: "user",
    content: images.length === 0 ? parts.user.text : [{ type: "text", text: parts.user.text }, ...images],
  };
  const fixedTokens = estimateMessagesTokens([system, user]);
  if (fixedTokens > budget.total) return undefined;
  const history = trimHistory(parts.history, parts.maxTurns, Math.max(0, Math.min(budget.total, budget.history) - fixedTokens));
  return {
    messages: [system, ...history.map((turn): ModelMessage => ({ role: turn.role, content: turn.text })), user],
  };
}
