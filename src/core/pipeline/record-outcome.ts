import { rememberLastExchange, resolveConversationId, locationKey } from "../conversation/conversation-key.js";
import { recordReplyInDay } from "../conversation/daily-stats.js";
import { recordGroupMessages, type RecordedGroupMessage } from "../conversation/group-context.js";
import type { AnswerReply, FinalReply, ReplyStream } from "../reply.js";
import { prefixedId, type ChatRequest } from "../request.js";
import type { CoreServices } from "../services.js";
import { footer } from "./replies.js";

/** What the chat's record shows of a message that was only files. */
function userWordsOf(request: ChatRequest): string {
  if (request.text.trim() !== "") return request.text;
  return request.attachments.map((attachment) => `[${attachment.name}]`).join(" ");
}

function answerWords(reply: AnswerReply, services: CoreServices): string {
  const modelLine = footer(reply.model, reply.role);
  return services.config.replyFooter && reply.text.endsWith(modelLine) ? reply.text.slice(0, -modelLine.length) : reply.text;
}

/**
 * An answer in a group joins the chat's recent messages (what later mentions see, with the
 * conversation it belongs to) and is noted as its author's last exchange there, so a quick
 * second mention continues it.
 */
async function rememberGroupExchange(request: ChatRequest, reply: AnswerReply, services: CoreServices, startedAt: number): Promise<void> {
  const { store, clock, config } = services;
  if (request.location.kind === "private" || request.location.platform === "cli") return;
  const now = clock.now();
  const conversationId = await resolveConversationId(request, store);
  const exchange: RecordedGroupMessage[] = [
    { messageId: request.messageId, authorId: request.author.id, authorName: request.author.name, source: "member", text: userWordsOf(request), at: request.receivedAt ?? startedAt, conversationId },
    { messageId: `answer-to-${request.messageId}`, authorId: "mami", authorName: "Mami", source: "mami", text: answerWords(reply, services), at: now, conversationId },
  ];
  await Promise.all([
    recordGroupMessages(store, locationKey(request), exchange, config.groupContext, now),
    rememberLastExchange(request, conversationId, now, store),
  ]);
}

async function recordOutcome(request: ChatRequest, reply: FinalReply, services: CoreServices, startedAt: number): Promise<void> {
  const user = { key: prefixedId(request.location.platform, request.author.id), name: request.author.name };
  await Promise.all([
    recordReplyInDay(services.store, services.clock.now(), reply, user),
    reply.kind === "answer" ? rememberGroupExchange(request, reply, services, startedAt) : Promise.resolve(),
  ]);
}

/**
 * Passes the pipeline's events through and, before the final reply goes out, records what the
 * bot keeps of it beyond the conversation's history: the day's figures for `/stats`
 * (daily-stats.ts) and, in a group, the exchange. A failure to record is logged, never shown:
 * the answer matters more than its bookkeeping.
 */
export async function* recordingOutcome(request: ChatRequest, replies: ReplyStream, services: CoreServices): ReplyStream {
  const startedAt = services.clock.now();
  for await (const event of replies) {
    if (event.type === "final") {
      try {
        await recordOutcome(request, event.reply, services, startedAt);
      } catch (error) {
        services.logger.warn({ error: error instanceof Error ? error.message : String(error) }, "could not record the reply's figures or the group's exchange");
      }
    }
    yield event;
  }
}
