import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { parseCommandLine } from "../../commands/index.js";
import { silentLogger } from "../core/ports/logger.js";
import type { ReplyStream } from "../core/reply.js";
import type { ChatRequest } from "../core/request.js";
import { configOrExit } from "./environment.js";
import { createRuntime } from "../runtime.js";

/** Shows a reply as it streams; the final text is shown too when it differs (a refusal, a footer). */
async function show(stream: ReplyStream): Promise<void> {
  let streamed = "";
  for await (const event of stream) {
    if (event.type === "delta") {
      streamed += event.text;
      process.stdout.write(event.text);
    } else if (event.type === "final") {
      const { text } = event.reply;
      if (text.startsWith(streamed) && streamed !== "") process.stdout.write(text.slice(streamed.length));
      else process.stdout.write(streamed === "" ? text : `\n${text}`);
      process.stdout.write("\n");
    }
  }
}

/** `mami chat`: an interactive conversation through the same pipeline; chat commands work too. */
export async function runChatCommand(): Promise<number> {
  const config = configOrExit("ask");
  const runtime = await createRuntime(config, silentLogger);
  const conversationId = `chat-${randomUUID()}`;
  // Lines are read as an async iterator, so piped input and Ctrl+D both end the loop cleanly.
  const lines = createInterface({ input: process.stdin, terminal: false });
  const prompt = (): void => {
    if (process.stdin.isTTY) process.stdout.write("> ");
  };
  process.stdout.write("Mami: type a message, /help for commands, Ctrl+D to leave.\n");
  prompt();
  try {
    for await (const line of lines) {
      const text = line.trim();
      if (text === "/exit" || text === "/quit") break;
      if (text !== "") {
        const command = parseCommandLine(text);
        const request: ChatRequest = {
          location: { platform: "cli", chatId: conversationId, kind: "private" },
          messageId: randomUUID(),
          author: { id: process.env.USER ?? "operator", name: process.env.USER ?? "operator", isBot: false },
          text,
          attachments: [],
          addressedBy: command === undefined ? "private" : "command",
          ...(command === undefined ? {} : { command }),
        };
        await show(runtime.mami.reply(request));
      }
      prompt();
    }
  } finally {
    lines.close();
    await runtime.close();
  }
  return 0;
}
