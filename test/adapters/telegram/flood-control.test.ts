import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordedCall } from "../../fakes/fake-telegram/index.js";
import {
  callsFor,
  freshGroupId,
  freshUserId,
  slowStreamingModels,
  startTelegramEndToEnd,
  waitForMessageText,
  type TelegramEndToEnd,
} from "./telegram-end-to-end.js";

const answer = Array.from(
  { length: 12 },
  (_, index) => `Line ${index + 1} of a streamed answer that keeps coming for a few seconds, so that it is edited while it grows.`,
).join("\n");

function floodResponses(calls: readonly RecordedCall[]): RecordedCall[] {
  return calls.filter((call) => call.response?.ok === false && call.response.error_code === 429);
}

/** After each 429, the same method was not called again before retry_after had passed. */
function expectRetryAfterRespected(calls: readonly RecordedCall[], method: string): void {
  const ofMethod = calls.filter((call) => call.method === method);
  for (const [index, call] of ofMethod.entries()) {
    if (call.response?.ok !== false || call.response.error_code !== 429) continue;
    const retry = ofMethod[index + 1];
    expect(retry, `${method} was retried after its 429`).toBeDefined();
    expect(retry!.receivedAt - call.receivedAt).toBeGreaterThanOrEqual(950);
  }
}

describe("Telegram flood control", () => {
  let rig: TelegramEndToEnd;

  beforeAll(async () => {
    rig = await startTelegramEndToEnd({ harness: { models: slowStreamingModels(20) }, telegram: { drafts: false } });
    rig.harness.groq.setResponder((call) => (call.model.includes("guard") ? "safe" : answer));
  });

  afterAll(async () => {
    await rig.close();
  });

  it("waits out 429s on sendMessage and editMessageText and still ends with the full answer visible", async () => {
    const { telegram } = rig;
    const chatId = freshUserId();
    telegram.failNext("sendMessage", { error_code: 429, retry_after: 1 });
    telegram.failNext("editMessageText", { error_code: 429, retry_after: 1 }, 2);
    telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: "Stream me something long" });

    await waitForMessageText(telegram, chatId, answer, 30_000);
    const chatCalls = [...callsFor(telegram, "sendMessage", chatId), ...callsFor(telegram, "editMessageText", chatId)].sort(
      (first, second) => first.index - second.index,
    );
    const floods = floodResponses(chatCalls);
    expect(floods.map((call) => call.method).sort()).toEqual(["editMessageText", "editMessageText", "sendMessage"]);
    expect(floods[0]?.response).toEqual({ ok: false, error_code: 429, description: "Too Many Requests: retry after 1" });
    expectRetryAfterRespected(chatCalls, "sendMessage");
    expectRetryAfterRespected(chatCalls, "editMessageText");
    expect(telegram.messagesIn(chatId)).toHaveLength(1);
    expect(rig.logs.some((record) => record.level === "warn" && record.message.includes("flood control"))).toBe(true);
  });

  it("lands the final edit even when flood control hits it, in a group", async () => {
    const { telegram } = rig;
    const chatId = freshGroupId();
    // Streaming edits end with the "▍" indicator; the final edit is the one without it.
    telegram.failNext("editMessageText", { error_code: 429, retry_after: 1 }, 1, (params) => !String(params["text"]).includes("▍"));
    telegram.pushGroupMessage({ chatId, mention: true, text: "Stream me something long" });
    await waitForMessageText(telegram, chatId, answer, 30_000);
    const edits = callsFor(telegram, "editMessageText", chatId);
    const refusedFinal = floodResponses(edits)[0]!;
    const landedFinal = edits.at(-1)!;
    expect(refusedFinal.params["text"]).toBe(landedFinal.params["text"]);
    expect(landedFinal.response).toEqual({ ok: true });
    expect(landedFinal.receivedAt - refusedFinal.receivedAt).toBeGreaterThanOrEqual(950);
    expect(telegram.messagesIn(chatId).map((message) => message.text)).toEqual([answer]);
  });
});
