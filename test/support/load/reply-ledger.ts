/**
 * Every final reply the core presented, per message, seen through a wrapper around the core the
 * adapter talks to: a message must get exactly one.
 */
import type { Mami } from "../../../src/core/mami.js";
import type { FinalReply } from "../../../src/core/reply.js";
import type { ChatRequest } from "../../../src/core/request.js";
import { observeReplies } from "../observed-core.js";

export class ReplyLedger {
  private readonly finals = new Map<string, FinalReply[]>();

  static keyOf(chatId: string, messageId: string): string {
    return `${chatId}:${messageId}`;
  }

  wrap(mami: Mami): Mami {
    return observeReplies(mami, {
      onFinal: (request, reply) => {
        const key = this.key(request);
        this.finals.set(key, [...(this.finals.get(key) ?? []), reply]);
      },
    });
  }

  finalsOf(chatId: string, messageId: string): readonly FinalReply[] {
    return this.finals.get(ReplyLedger.keyOf(chatId, messageId)) ?? [];
  }

  private key(request: ChatRequest): string {
    return ReplyLedger.keyOf(request.location.chatId, request.messageId);
  }
}
