import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { silentLogger } from "../core/ports/logger.js";
import { attemptsOf, finalReplyOf, type FinalReply } from "../core/reply.js";
import type { ChatRequest } from "../core/request.js";
import { createRuntime } from "../runtime.js";
import { configOrExit } from "./environment.js";
import { fileAttachment } from "./file-attachment.js";

/** INTERFACE.md: 0 answered, 3 refused by safety, 4 no model could answer. */
function exitCodeOf(reply: FinalReply): number {
  if (reply.kind === "answer" || reply.kind === "notice") return 0;
  if (reply.kind === "refusal") return 3;
  return reply.failure === "no_model_available" ? 4 : 1;
}

/** `mami ask [--image FILE]... [--file FILE]... [--conversation ID] TEXT`: one request through the whole pipeline. */
export async function runAskCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      image: { type: "string", multiple: true, default: [] },
      file: { type: "string", multiple: true, default: [] },
      conversation: { type: "string" },
    },
    allowPositionals: true,
  });
  const config = configOrExit("ask");
  let attachments;
  try {
    // --image and --file both attach a file; what it is, the core tells from its type and name.
    attachments = await Promise.all([...values.image, ...values.file].map((path) => fileAttachment(path)));
  } catch (error) {
    process.stderr.write(`mami ask: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const runtime = await createRuntime(config, silentLogger);
  try {
    const request: ChatRequest = {
      location: { platform: "cli", chatId: values.conversation ?? `ask-${randomUUID()}`, kind: "private" },
      messageId: randomUUID(),
      author: { id: process.env.USER ?? "operator", name: process.env.USER ?? "operator", isBot: false },
      text: positionals.join(" "),
      attachments,
      addressedBy: "private",
    };
    const reply = await finalReplyOf(runtime.mami.reply(request));
    process.stdout.write(`${reply.text}\n`);
    process.stderr.write(
      `${JSON.stringify({
        role: reply.kind === "answer" ? reply.role : null,
        model: reply.kind === "answer" ? reply.model : null,
        attempts: attemptsOf(reply).map(({ model, outcome, ms }) => ({ model, outcome, ms })),
        usage: reply.kind === "answer" ? (reply.usage ?? null) : null,
      })}\n`,
    );
    return exitCodeOf(reply);
  } finally {
    await runtime.close();
  }
}
