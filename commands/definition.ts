import type { z } from "zod";
import type { Wording } from "../src/core/language/wording.js";
import type { Mami } from "../src/core/mami.js";
import type { ReplyStream } from "../src/core/reply.js";
import type { ChatRequest } from "../src/core/request.js";

export interface CommandChoice {
  readonly name: string;
  readonly value: string;
}

/**
 * A description in the language asked for: adapters register one per language (Telegram's
 * `language_code`, Discord's `description_localizations`). Names are never translated, so
 * `/reset` is `/reset` everywhere.
 */
export type Described = (words: Wording) => string;

export interface CommandOption {
  readonly name: string;
  readonly description: Described;
  /** `attachment` options arrive as the request's attachments, not as option values. */
  readonly type: "string" | "attachment";
  readonly required: boolean;
  /** Offered as buttons or autocomplete; computed when asked, since live models change. */
  readonly choices?: (mami: Mami) => readonly CommandChoice[];
}

/**
 * One chat command, defined once. Adapters translate it to a Discord slash command or a
 * Telegram bot command; `mami chat` accepts it as typed text. The core runs it (commands/index.ts
 * `chatCommands`) after checking access.
 */
export interface CommandDefinition<Options extends Record<string, string | undefined> = Record<string, string | undefined>> {
  readonly name: string;
  /** Other names it answers to: Telegram sends `/start` when someone opens the bot. */
  readonly aliases?: readonly string[];
  readonly description: Described;
  readonly options: readonly CommandOption[];
  /** The string option that takes the rest of a typed command line (`/ask how are you`). */
  readonly textOption?: string;
  readonly schema: z.ZodType<Options>;
  run(mami: Mami, request: ChatRequest, options: Options): ReplyStream;
}
