import { answerOf } from "../../support/reply-kinds.js";
import { afterEach, describe, expect, it } from "vitest";
import { finalReplyOf } from "../../../src/core/reply.js";
import { parseRouterAnswer } from "../../../src/core/routing/llm-router.js";
import type { ChatCall } from "../../fakes/fake-groq/index.js";
import { chatRequest } from "../../support/chat-request.js";
import { startMamiHarness, type MamiHarness } from "../../support/mami-harness.js";

const routerModel = "openai/gpt-oss-20b";

function isRouterCall(call: Pick<ChatCall, "messages"> | undefined): boolean {
  const system = call?.messages?.[0] as { role: string; content: string } | undefined;
  return system?.role === "system" && system.content.startsWith("You route messages");
}

let harness: MamiHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("the router model", () => {
  it("reads JSON and bare answers", () => {
    expect(parseRouterAnswer('{"role":"code"}')).toBe("code");
    expect(parseRouterAnswer('```json\n{ "role" : "Logic" }\n```')).toBe("logic");
    expect(parseRouterAnswer("chat")).toBe("chat");
    expect(parseRouterAnswer("I cannot decide")).toBeUndefined();
  });

  it("decides every message in llm mode with one short call", async () => {
    harness = await startMamiHarness({ env: { ROUTER_MODE: "llm" } });
    harness.groq.setResponder((call) => (isRouterCall(call) ? '{"role":"code"}' : `Answer from ${call.model}`));
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("hello there, how are you?")));
    expect(answerOf(reply).role).toBe("code");
    const routerCalls = harness.groq.chatCallsTo(routerModel).filter((call) => isRouterCall(call.body as ChatCall | undefined));
    expect(routerCalls).toHaveLength(1);
    expect((routerCalls[0]?.body as { max_completion_tokens: number }).max_completion_tokens).toBeLessThanOrEqual(200);
  });

  it("asks only when the heuristics are unsure in hybrid mode", async () => {
    harness = await startMamiHarness({ env: { ROUTER_MODE: "hybrid" } });
    harness.groq.setResponder((call) => (isRouterCall(call) ? '{"role":"logic"}' : `Answer from ${call.model}`));
    const sure = await finalReplyOf(harness.mami.reply(chatRequest("```python\nprint(undefined_name)\n```\nNameError: name 'undefined_name' is not defined")));
    expect(answerOf(sure).role).toBe("code");
    expect(harness.groq.calls.filter((call) => isRouterCall(call.body as ChatCall | undefined))).toHaveLength(0);

    const unsure = await finalReplyOf(harness.mami.reply(chatRequest("Wie viele verschiedene Passwörter mit 4 Ziffern gibt es?")));
    expect(answerOf(unsure).role).toBe("logic");
    expect(harness.groq.calls.filter((call) => isRouterCall(call.body as ChatCall | undefined))).toHaveLength(1);
  });

  it("leaves an unsure message to the heuristics in hybrid mode while answers need the router model's quota", async () => {
    harness = await startMamiHarness({ env: { ROUTER_MODE: "hybrid" } });
    // About 700 tokens an answer: five of them take more than a tenth of the answer models' minute.
    const longAnswer = "word ".repeat(560);
    harness.groq.setResponder((call) => (isRouterCall(call) ? '{"role":"code"}' : longAnswer));
    for (let index = 0; index < 5; index += 1) {
      const reply = await finalReplyOf(harness.mami.reply(chatRequest("```python\nprint(undefined_name)\n```\nNameError: name 'undefined_name' is not defined", { location: { platform: "cli", chatId: `busy-${index}`, kind: "private" } })));
      expect(reply.kind).toBe("answer");
    }
    // The heuristics' own choice for it, where the router model would have said code.
    const unsure = await finalReplyOf(harness.mami.reply(chatRequest("Wie viele verschiedene Passwörter mit 4 Ziffern gibt es?")));
    expect(answerOf(unsure).role).toBe("chat");
    expect(harness.groq.calls.filter((call) => isRouterCall(call.body as ChatCall | undefined))).toHaveLength(0);
  });

  it("keeps the heuristic decision when the router model fails", async () => {
    harness = await startMamiHarness({ env: { ROUTER_MODE: "llm", MODELS_ROUTER: routerModel } });
    harness.groq.inject(routerModel, { kind: "status", status: 503 });
    const reply = await finalReplyOf(harness.mami.reply(chatRequest("```sql\nSELECT * FROM users WHERE id = 1;\n```")));
    expect(reply.kind).toBe("answer");
    expect(answerOf(reply).role).toBe("code");
  });
});
