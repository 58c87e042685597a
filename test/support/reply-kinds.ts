import type { AnswerReply, ErrorReply, FinalReply, NoticeReply, RefusalReply } from "../../src/core/reply.js";

function ofKind<Kind extends FinalReply["kind"]>(reply: FinalReply, kind: Kind): Extract<FinalReply, { kind: Kind }> {
  if (reply.kind !== kind) throw new Error(`Expected a reply of kind "${kind}", got "${reply.kind}": ${reply.text.slice(0, 300)}`);
  return reply as Extract<FinalReply, { kind: Kind }>;
}

/** The reply as an answer; fails the test, showing the reply, when it is something else. */
export const answerOf = (reply: FinalReply): AnswerReply => ofKind(reply, "answer");
export const errorOf = (reply: FinalReply): ErrorReply => ofKind(reply, "error");
export const refusalOf = (reply: FinalReply): RefusalReply => ofKind(reply, "refusal");
export const noticeOf = (reply: FinalReply): NoticeReply => ofKind(reply, "notice");
