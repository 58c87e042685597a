import { answerOf } from "../../support/reply-kinds.js";
import { afterEach, describe, expect, it } from "vitest";
import { finalReplyOf } from "../../../src/core/reply.js";
import { classifyByHeuristics, confidentThreshold } from "../../../src/core/routing/heuristics/index.js";
import type { ChatCall } from "../../fakes/fake-groq/index.js";
import { chatRequest } from "../../support/chat-request.js";
import { startMamiHarness, type MamiHarness } from "../../support/mami-harness.js";

function isRouterCall(call: Pick<ChatCall, "messages"> | undefined): boolean {
  const system = call?.messages?.[0] as { role: string; content: string } | undefined;
  return system?.role === "system" && system.content.startsWith("You route messages");
}

let harness: MamiHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("a question the heuristics call search", () => {
  it("is answered by the search role, without asking the router model", async () => {
    const question = "what's the weather in Berlin tomorrow?";
    const decision = classifyByHeuristics(question);
    expect(decision.role).toBe("search");
    expect(decision.confidence).toBeGreaterThanOrEqual(confidentThreshold);

    harness = await startMamiHarness({ env: { ROUTER_MODE: "hybrid" } });
    harness.groq.setResponder((call) => (isRouterCall(call) ? '{"role":"logic"}' : `Answer from ${call.model}`));
    const reply = await finalReplyOf(harness.mami.reply(chatRequest(question)));
    expect(answerOf(reply).role).toBe("search");
    expect(answerOf(reply).model).toBe("groq/compound-mini");
    expect(harness.groq.calls.filter((call) => isRouterCall(call.body as ChatCall | undefined))).toHaveLength(0);
  });
});
