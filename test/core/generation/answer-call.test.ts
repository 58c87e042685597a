import { describe, expect, it } from "vitest";
import { AnswerCall } from "../../../src/core/generation/answer-call.js";
import { CompletionBudgets } from "../../../src/core/generation/completion-budgets.js";
import { systemPrompt } from "../../../src/core/generation/conversation-prompt.js";
import { wordingOf } from "../../../src/core/language/wording.js";
import { ModelCatalog } from "../../../src/core/models/catalog.js";
import { defaultChains } from "../../../src/core/models/default-chains.js";
import { ModelRegistry } from "../../../src/core/models/model-registry.js";
import { estimateMargin, estimateMessagesTokens } from "../../../src/core/models/token-estimate.js";
import { silentLogger } from "../../../src/core/ports/logger.js";
import { callThatUsedLittle } from "../../support/call-that-used-little.js";
import { FakeModelClient } from "../../support/fake-model-client.js";
import { restOfAnswer } from "../../support/continued-answer.js";

const start = Date.UTC(2026, 11, 1, 12);
const model = "openai/gpt-oss-120b";
/** The message's deadline to go on with an answer: 55 s after it arrived. */
const continueWithinMs = 55_000;

/** An answer of `tokens` tokens (four characters each) whose sentences are numbered, so that its end occurs once in it. */
function numberedAnswer(tokens: number): string {
  return Array.from({ length: tokens }, (_, index) => `Sentence ${index + 1} of a long answer.`).join(" ").slice(0, tokens * 4);
}

/** A registry whose models Groq's headers showed to count only what finished calls used. */
function usageCountedRegistry(): ModelRegistry {
  const registry = new ModelRegistry(new ModelCatalog(), defaultChains, silentLogger, start);
  callThatUsedLittle(registry, model, start);
  return registry;
}

/** Chat answers of 100 to 290 tokens, and now and then 400: budgets well apart. */
function learnedBudgets(): CompletionBudgets {
  const budgets = new CompletionBudgets();
  for (let index = 0; index < 20; index += 1) budgets.observeAnswer("chat", model, index === 19 ? 400 : 100 + index * 10, 40);
  return budgets;
}

function answerCall(budgets: CompletionBudgets, arrivedAt: number, candidates: readonly string[] = [model], client = new FakeModelClient()): AnswerCall {
  return new AnswerCall(
    {
      role: "chat",
      candidates,
      prompt: { system: systemPrompt("chat", "cli"), history: [], maxHistoryTurns: 0, userText: "a question", imageDataUrls: [] },
      reasoningEffort: "low",
      arrivedAt,
      maxQueueWaitMs: 50_000,
      maxContinueWaitMs: continueWithinMs,
      timeoutMs: 30_000,
      words: wordingOf({}),
    },
    client,
    budgets,
  );
}

describe("the budget an answer's first call asks for", () => {
  const budgets = learnedBudgets();
  const ordinary = budgets.budgetFor("chat", model, "usage_only", 40);
  const mostFinish = budgets.budgetFinishing(0.75, "chat", model, "usage_only", 40);
  const oneCall = budgets.oneCallBudget("chat", model, "usage_only", 40);

  const prompt = { system: systemPrompt("chat", "cli"), userText: "a question" };
  const promptCost = Math.ceil(estimateMessagesTokens([{ role: "system", content: prompt.system }, { role: "user", content: prompt.userText }]) * estimateMargin);

  /**
   * The first call's budget at `now` when a charge made at `chargedAt` leaves the minute `room`
   * tokens beside the call's prompt.
   */
  function budgetWith(room: number, chargedAt: number, now: number): number {
    const registry = usageCountedRegistry();
    const state = registry.state(model);
    // Half a token more: the minute may count fractions of one (usage told by the headers).
    state.markSent(state.reserve(chargedAt, state.freeTokensPerMinute(chargedAt) - promptCost - room + 0.5), chargedAt);
    const fit = answerCall(budgets, now - 1_000).fit(registry.profile(model), state, now);
    if (!fit.fits) throw new Error(fit.reason);
    return fit.plan.completionBudget;
  }

  it("is what most answers of the kind use while the minute has room", () => {
    expect(mostFinish).toBeLessThan(ordinary);
    expect(ordinary).toBeLessThan(oneCall);
    expect(budgetWith(6_000, start + 1_000, start + 2_000)).toBe(ordinary);
  });

  it("is enough to finish in one call when a continuation would find no room before the deadline", () => {
    // A charge made a second ago stays for a minute: room for this call, none beside it for a continuation.
    expect(budgetWith(oneCall + 50, start + 1_000, start + 2_000)).toBe(oneCall);
    // The room comes (61.5 s) before the answer must go on (65 s) but after the message, which
    // arrived at 10 s, would stop waiting to start (60 s): what frees then goes to others too.
    expect(budgetWith(oneCall + 50, start + 1_000, start + 11_000)).toBe(oneCall);
    // As much of it as the minute has room for.
    expect(budgetWith(ordinary + 10, start + 1_000, start + 2_000)).toBe(ordinary + 9);
  });

  it("takes the room a full minute has left when the whole budget would come too late, three answers in four fit in it, and a continuation would go on in time", () => {
    // The charge leaves the minute at 61.5 s: after the message, which arrived at 10 s, stops
    // waiting (60 s), and before its answer must go on (65 s).
    const now = start + 11_000;
    const budget = budgetWith(Math.floor((ordinary + mostFinish) / 2), start + 1_000, now);
    expect(budget).toBeGreaterThanOrEqual(mostFinish);
    expect(budget).toBeLessThan(ordinary);
    // Whole tokens, though the minute counts settled calls in fractions of one (Groq refuses a fractional budget).
    expect(Number.isInteger(budget)).toBe(true);
  });

  it("waits for its whole budget when it comes in time, when the room left would cut most answers, or when a continuation would be too late", () => {
    const between = Math.floor((ordinary + mostFinish) / 2);
    // Arrived at 20 s: the minute frees (61.5 s) before it stops waiting (70 s).
    expect(budgetWith(between, start + 1_000, start + 21_000)).toBe(ordinary);
    expect(budgetWith(Math.floor(mostFinish / 2), start + 1_000, start + 11_000)).toBe(ordinary);
    // Room for most answers, but the minute frees only after the deadline to go on (56 s).
    expect(budgetWith(between, start + 1_000, start + 2_000)).toBe(ordinary);
  });
});

describe("what an answer teaches the budgets", () => {
  /** Sends one call of `call` on `model` to its end, as the fallback engine would. */
  async function sendOn(call: AnswerCall, registry: ModelRegistry, on: string, now: number): Promise<"again" | "done"> {
    const fit = call.fit(registry.profile(on), registry.state(on), now);
    if (!fit.fits) throw new Error(fit.reason);
    const reservation = registry.state(on).reserve(now, fit.plan.promptTokens + fit.plan.completionBudget);
    const sending = call.send({ model: on, profile: registry.profile(on), plan: fit.plan, reservation }, undefined);
    let step = await sending.next();
    while (step.done !== true) step = await sending.next();
    return step.value.kind;
  }

  it("learns an answer's length under the model that began it, wherever it was continued", async () => {
    const other = "openai/gpt-oss-20b";
    const budgets = new CompletionBudgets();
    // Each model has answered enough chat of its own that only its own answers decide: 100 tokens each.
    for (const on of [model, other]) for (let index = 0; index < 32; index += 1) budgets.observeAnswer("chat", on, 100, 40);
    const longest = (on: string): number => budgets.oneCallBudget("chat", on, "usage_only", 40);
    expect([longest(model), longest(other)]).toEqual([160, 160]);
    // 300 tokens, cut at the first call's budget on one model and finished on the other.
    const answer = numberedAnswer(305);
    const client = new FakeModelClient((request) => ({ text: restOfAnswer(answer, request.messages) }));
    const call = answerCall(budgets, start, [model, other], client);
    const registry = usageCountedRegistry();
    await sendOn(call, registry, model, start);
    await sendOn(call, registry, other, start + 2_000);
    expect(client.calls.map((sent) => sent.model)).toEqual([model, other]);
    expect(longest(model)).toBeGreaterThanOrEqual(300);
    expect(longest(other)).toBe(160);
  });

  it("tells the budgets of an answer cut at its budget before it goes on, and of its whole length once it ends", async () => {
    const budgets = new CompletionBudgets();
    // Chat answers of 250 tokens, one in eight of 400 (never the oldest, which the next answer
    // pushes out of the 32 a budget reads): nine in ten finish within 400.
    for (let index = 0; index < 32; index += 1) budgets.observeAnswer("chat", model, index % 8 === 7 ? 400 : 250, 40);
    const longest = (): number => budgets.oneCallBudget("chat", model, "usage_only", 40);
    const withinWhichMostFinish = (): number => budgets.budgetFinishing(0.85, "chat", model, "usage_only", 40);
    expect(longest()).toBe(400);
    expect(withinWhichMostFinish()).toBe(Math.ceil(250 * 1.1));
    // About 1,200 tokens, where the first call asks for 400.
    const answer = numberedAnswer(1_210);
    const client = new FakeModelClient((request) => ({ text: restOfAnswer(answer, request.messages) }));
    const call = answerCall(budgets, start, [model], client);
    const registry = usageCountedRegistry();
    expect(await sendOn(call, registry, model, start)).toBe("again");
    // Cut: at least as long as it went, heard now rather than once it ends (one answer more of 400).
    expect(withinWhichMostFinish()).toBe(Math.ceil(400 * 1.1));
    expect(longest()).toBe(400);
    let now = start;
    while ((await sendOn(call, registry, model, (now += 2_000))) === "again") expect(longest()).toBeLessThan(1_200);
    expect(client.calls.length).toBeGreaterThan(2);
    expect(longest()).toBeGreaterThanOrEqual(1_180);
    // Counted once: 27 of the 32 answers read are of 250 tokens, so the 27th shortest is one of
    // them; counted apart as well, the cut would push one more out and the 27th would be 400.
    expect(budgets.budgetFinishing(26 / 32, "chat", model, "usage_only", 40)).toBe(Math.ceil(250 * 1.1));
  });
});
