import { createHash } from "node:crypto";
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { ReplyChoice } from "../../core/reply.js";

/** Telegram refuses callback_data longer than 64 bytes. */
const callbackDataLimitBytes = 64;
const hashedPrefix = "choice:";
const rememberedChoicesLimit = 2000;

/**
 * Turns reply choices (command texts such as `/model openai/gpt-oss-120b`) into inline buttons.
 * A command that fits in callback_data travels as it is, so the button still works after a
 * restart; a longer one travels as a short hash of it, remembered here.
 */
export class ChoiceKeyboards {
  private readonly commandsByHash = new Map<string, string>();

  keyboard(choices: readonly ReplyChoice[]): InlineKeyboardMarkup {
    const buttons: InlineKeyboardButton[] = choices.map((choice) => ({ text: choice.label, callback_data: this.encode(choice.command) }));
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

  /** The command a button carries, or undefined when it is not one of ours (or was forgotten). */
  commandOf(callbackData: string): string | undefined {
    if (callbackData.startsWith("/")) return callbackData;
    if (callbackData.startsWith(hashedPrefix)) return this.commandsByHash.get(callbackData);
    return undefined;
  }

  private encode(command: string): string {
    if (command.startsWith("/") && Buffer.byteLength(command, "utf8") <= callbackDataLimitBytes) return command;
    const data = hashedPrefix + createHash("sha256").update(command).digest("base64url").slice(0, 32);
    if (this.commandsByHash.size >= rememberedChoicesLimit) {
      const oldest = this.commandsByHash.keys().next().value;
      if (oldest !== undefined) this.commandsByHash.delete(oldest);
    }
    this.commandsByHash.set(data, command);
    return data;
  }
}
