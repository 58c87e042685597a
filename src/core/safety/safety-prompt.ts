import type { ModelProfile } from "../models/catalog.js";
import type { MessagePart, ModelMessage } from "../ports/model-client.js";
import { safetyCategoryNames } from "./categories.js";

/**
 * Our policy for gpt-oss-safeguard, which classifies against whatever policy it is given: the
 * same categories and the same machine-readable answer as Llama Guard, so one parser serves both.
 */
export const safeguardPolicyLines: readonly string[] = [
  "You are a content safety classifier. Classify the CONTENT below (a chat message sent to an assistant) against this policy.",
  "Unsafe categories:",
  ...Object.entries(safetyCategoryNames).map(([code, name]) => `${code}: ${name}`),
  "Content is unsafe only when it seeks or provides real help with harm in a category; discussing, reporting, fiction with no actionable harm, and ordinary questions are safe.",
];

const safeguardPolicy = [
  ...safeguardPolicyLines,
  "Answer with exactly one line `safe`, or two lines: `unsafe` and then the violated category codes separated by commas (for example `unsafe` newline `S2,S10`). No other text.",
].join("\n");

export interface ScreenedContent {
  readonly userText: string;
  readonly imageDataUrls: readonly string[];
  /** When screening an answer: the assistant's text. */
  readonly assistantText?: string;
}

/** Llama Guard screens one conversation per call, with no policy of ours. */
export function isLlamaGuard(model: string): boolean {
  return /llama-guard/i.test(model);
}

export function buildSafetyPrompt(profile: ModelProfile, content: ScreenedContent): readonly ModelMessage[] {
  if (isLlamaGuard(profile.id)) {
    const images: MessagePart[] = profile.acceptsImages
      ? content.imageDataUrls.map((dataUrl) => ({ type: "image", dataUrl }))
      : [];
    const userContent: ModelMessage["content"] =
      images.length === 0 ? content.userText : [{ type: "text", text: content.userText }, ...images];
    // Llama Guard takes the turns to screen with no system message.
    const messages: ModelMessage[] = [{ role: "user", content: userContent }];
    if (content.assistantText !== undefined) messages.push({ role: "assistant", content: content.assistantText });
    return messages;
  }
  const subject =
    content.assistantText === undefined
      ? `CONTENT (user message):\n${content.userText}`
      : `CONTENT (assistant answer to the user message "${content.userText.slice(0, 500)}"):\n${content.assistantText}`;
  return [
    { role: "system", content: safeguardPolicy },
    { role: "user", content: subject },
  ];
}
