/** A chat message as Mami sent it to the model, read by the fake models' responders. */
export interface SentMessage {
  readonly role?: unknown;
  readonly content?: unknown;
}

/** A sent message's text: its content, or its text parts (an image's turn) one per line. */
export function textOf(message: SentMessage | undefined): string {
  const content = message?.content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part: { text?: unknown }) => (typeof part.text === "string" ? part.text : "")).join("\n");
}
