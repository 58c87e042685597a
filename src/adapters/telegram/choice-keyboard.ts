import { createHash, randomBytes } from "node:crypto";
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { ReplyChoice } from "../../core/reply.js";

const callbackPrefix = "choice:";
const rememberedChoicesLimit = 2000;

/** A button's command and the user it was shown to. */
export interface RememberedChoice {
  readonly command: string;
  readonly shownTo: string;
}

/**
 * Turns reply choices (command texts such as `/model openai/gpt-oss-120b`) into inline buttons.
 * Telegram lets clients send any callback_data they like, so a button carries only a random key
 * to a choice remembered here, with the user it was shown to: forged data finds nothing, and the
 * core refuses a tap by anyone else. After a restart old buttons say they are out of date.
 */
export class ChoiceKeyboards {
  private readonly choices = new Map<string, RememberedChoice>();
  /** Keys differ between processes and restarts: an old button never finds a new choice. */
  private readonly salt = randomBytes(8).toString("hex");

  keyboard(choices: readonly ReplyChoice[], shownTo: string): InlineKeyboardMarkup {
    const buttons: InlineKeyboardButton[] = choices.map((choice) => ({ text: choice.label, callback_data: this.remember(choice.command, shownTo) }));
    // Short labels (auto, the roles) two to a row; model ids are long and get a row each.
    const rows: InlineKeyboardButton[][] = [];
    for (const button of buttons) {
      const lastRow = rows.at(-1);
      const short = button.text.length <= 16;
      if (short && lastRow?.length === 1 && (lastRow[0]?.text.length ?? 99) <= 16) lastRow.push(button);
      else rows.push([button]);
    }
    return { inline_keyboard: rows };
  }

  /** The choice a button carries, or undefined when it is not one of ours (forged, or forgotten). */
  choiceOf(callbackData: string): RememberedChoice | undefined {
    return this.choices.get(callbackData);
  }

  private remember(command: string, shownTo: string): string {
    // 32 base64url characters after the prefix: within Telegram's 64 bytes of callback_data.
    const key = callbackPrefix + createHash("sha256").update(`${this.salt}\u0000${shownTo}\u0000${command}`).digest("base64url").slice(0, 32);
    if (this.choices.size >= rememberedChoicesLimit) {
      const oldest = this.choices.keys().next().value;
      if (oldest !== undefined) this.choices.delete(oldest);
    }
    this.choices.set(key, { command, shownTo });
    return key;
  }
}
