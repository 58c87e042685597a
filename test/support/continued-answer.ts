import { leftOutMarker } from "../../src/core/generation/answer-so-far.js";
import { textOf, type SentMessage } from "./sent-message.js";

/**
 * How the fake models go on with an answer Mami continues. A continuation call ends with the
 * answer so far as the assistant's turn (all of it, or only its end after a marker, when long)
 * and a user turn saying it "was cut off" (generation/conversation-prompt.ts). A model goes on
 * from where the shown text ends, as a real one would; the fake finds that place in the answer
 * it intended to give.
 */
const continuationMarker = "was cut off";

/** Whether a user message is the instruction to continue, not something the user wrote. */
export function isContinuationInstruction(message: SentMessage | undefined): boolean {
  return message?.role === "user" && textOf(message).includes(continuationMarker);
}

/** What a continuation call shows of the answer so far; undefined when the call continues nothing. */
export function shownSoFar(messages: readonly unknown[]): string | undefined {
  const [said, instruction] = messages.slice(-2) as SentMessage[];
  return said?.role === "assistant" && isContinuationInstruction(instruction) ? textOf(said) : undefined;
}

/**
 * The rest of `answer` after what the call shows was said: the whole answer when the call
 * continues nothing, or shows text that is not part of the answer (a broken stream continued
 * elsewhere), as a model would start over.
 */
export function restOfAnswer(answer: string, messages: readonly unknown[]): string {
  const shown = shownSoFar(messages);
  const said = shown === undefined ? undefined : endOfShown(answer, shown);
  return said === undefined ? answer : answer.slice(said);
}

/**
 * Where what was shown of the answer ends in it. An end shown without its beginning must occur
 * once in the answer: a fake cannot tell where an end it finds twice stops, so a test's long
 * answers must not repeat themselves (number their sentences).
 */
function endOfShown(answer: string, shown: string): number | undefined {
  if (answer.startsWith(shown)) return shown.length;
  if (!shown.startsWith(`${leftOutMarker}\n`)) return undefined;
  const end = shown.slice(leftOutMarker.length + 1);
  // The line that opened a code block may be shown again in front of the end.
  for (const candidate of [end, end.slice(end.indexOf("\n") + 1)]) {
    const at = candidate === "" ? -1 : answer.indexOf(candidate);
    if (at < 0) continue;
    if (answer.indexOf(candidate, at + 1) >= 0) throw new Error(`The end of the answer shown to continue it occurs twice in the answer: ${JSON.stringify(candidate.slice(0, 80))}…`);
    return at + candidate.length;
  }
  return undefined;
}
