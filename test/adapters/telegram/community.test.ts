import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  answeredChatCalls,
  chatCallsMentioning,
  freshGroupId,
  freshUserId,
  messagesOf,
  startTelegramEndToEnd,
  textOf,
  textsIn,
  waitForMessageText,
  waitUntil,
  type TelegramEndToEnd,
} from "./telegram-end-to-end.js";

/**
 * The community features through the real grammY bot and the fake Telegram: group context, a
 * second mention that continues the first, personas set by a group's admins, /usage and /stats.
 */
describe("Telegram: group context, personas, /usage and /stats", () => {
  let rig: TelegramEndToEnd;
  const operatorId = freshUserId();

  beforeAll(async () => {
    rig = await startTelegramEndToEnd({ harness: { env: { ADMIN_USERS: `tg:${operatorId}` } } });
  });

  afterAll(async () => {
    await rig.close();
  });

  it("answers 'summarize the discussion above' with the group's recent messages and their authors' names", async () => {
    const { telegram, harness } = rig;
    const chatId = freshGroupId();
    const ana = { id: freshUserId(), first_name: "Ana" };
    const bora = { id: freshUserId(), first_name: "Bora", last_name: "Demir" };
    telegram.pushGroupMessage({ chatId, from: ana, text: "The deadline moved to Friday." });
    telegram.pushGroupMessage({ chatId, from: bora, text: "Fine, I'll send the draft on Thursday." });
    harness.groq.setResponder(() => "Ana moved the deadline to Friday; Bora sends the draft on Thursday.");
    telegram.pushGroupMessage({ chatId, from: { id: freshUserId(), first_name: "Cem" }, mention: true, text: "summarize the discussion above" });
    await waitForMessageText(telegram, chatId, "Ana moved the deadline to Friday; Bora sends the draft on Thursday.");

    const call = chatCallsMentioning(harness.groq, "summarize the discussion above")[0]!;
    expect(textOf(call)).toContain("<recent_chat>\nAna: The deadline moved to Friday.\nBora Demir: Fine, I'll send the draft on Thursday.\n</recent_chat>");
    expect(textOf(call)).toContain("The message to answer follows, from Cem.");
    // What the bot was not asked is still never answered: one reply in the chat.
    expect(textsIn(telegram, chatId)).toHaveLength(1);
  });

  it("remembers a user who mentions the bot twice in a row, without a reply", async () => {
    const { telegram, harness } = rig;
    const chatId = freshGroupId();
    const ana = { id: freshUserId(), first_name: "Ana" };
    harness.groq.setResponder(() => "Noted, the word is quince.");
    telegram.pushGroupMessage({ chatId, from: ana, mention: true, text: "remember the word quince" });
    await waitForMessageText(telegram, chatId, "Noted, the word is quince.");
    harness.groq.setResponder(() => "It was quince.");
    telegram.pushGroupMessage({ chatId, from: ana, mention: true, text: "which word did I give you?" });
    await waitForMessageText(telegram, chatId, "It was quince.");
    const sent = messagesOf(chatCallsMentioning(harness.groq, "which word did I give you?")[0]!);
    expect(sent.map((message) => message.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(sent[1]?.content).toBe("remember the word quince");
    expect(sent[2]?.content).toBe("Noted, the word is quince.");
  });

  it("lets only the group's admins set its persona: a member is refused, an admin's applies to the next answer", async () => {
    const { telegram, harness } = rig;
    const chatId = freshGroupId();
    const member = { id: freshUserId(), first_name: "Member" };
    const admin = { id: freshUserId(), first_name: "Admin" };
    telegram.makeAdministrator(chatId, admin.id);
    telegram.pushGroupMessage({ chatId, from: member, text: "/persona You are a grumpy pirate." });
    await waitForMessageText(telegram, chatId, "Only this chat's admins can change its persona.");

    telegram.pushGroupMessage({ chatId, from: admin, text: "/persona You are Captain Byte, a cheerful pirate." });
    await waitUntil(() => textsIn(telegram, chatId).length === 2, "the admin's confirmation");
    expect(textsIn(telegram, chatId)[1]).toMatch(/^Done: I'll answer in this chat with that persona/);
    expect(telegram.calls.some((call) => call.method === "getChatMember" && Number(call.params["user_id"]) === admin.id)).toBe(true);

    harness.groq.setResponder(() => "Arr, RAM be short-term memory.");
    telegram.pushGroupMessage({ chatId, from: member, mention: true, text: "what is RAM, matey?" });
    await waitForMessageText(telegram, chatId, "Arr, RAM be short-term memory.");
    const system = String(messagesOf(chatCallsMentioning(harness.groq, "what is RAM, matey?")[0]!)[0]?.content);
    expect(system).toContain("You are Captain Byte, a cheerful pirate.");
    expect(system).not.toContain("grumpy");
  });

  it("/usage shows the user's own day; /stats is for ADMIN_USERS and counts what Groq served", async () => {
    const { telegram, harness } = rig;
    const chatId = freshUserId();
    harness.groq.setResponder(() => "Hello to you too.");
    telegram.pushPrivateMessage({ chatId, from: { id: chatId, first_name: "Dilek" }, text: "hello there, Mami" });
    await waitForMessageText(telegram, chatId, "Hello to you too.");
    const call = chatCallsMentioning(harness.groq, "hello there, Mami")[0]!;
    const tokens = (call.tokens?.prompt ?? 0) + (call.tokens?.completion ?? 0);

    telegram.pushPrivateMessage({ chatId, from: { id: chatId, first_name: "Dilek" }, text: "/usage" });
    await waitUntil(() => textsIn(telegram, chatId).length === 2, "the usage");
    expect(textsIn(telegram, chatId)[1]).toContain(`Your usage today: 1 request, ${tokens.toLocaleString("en-US")} tokens.`);

    telegram.pushPrivateMessage({ chatId, from: { id: chatId, first_name: "Dilek" }, text: "/stats" });
    await waitUntil(() => textsIn(telegram, chatId).length === 3, "the refusal");
    expect(textsIn(telegram, chatId)[2]).toMatch(/^Only the bot's operators \(ADMIN_USERS\) can see \/stats/);

    telegram.pushPrivateMessage({ chatId: operatorId, from: { id: operatorId, first_name: "Operator" }, text: "/stats" });
    await waitUntil(() => textsIn(telegram, operatorId).length === 1, "the stats");
    const stats = textsIn(telegram, operatorId)[0]!;
    const answered = answeredChatCalls(harness.groq).length;
    expect(stats).toMatch(new RegExp(`every chat: \\d+ requests?, ${answered} answered\\.`));
    expect(stats).toContain(`Dilek (tg:${chatId}): ${tokens.toLocaleString("en-US")} tokens, 1 answer`);
    expect(stats).toContain("Quota headroom:");
  });
});
