/**
 * The abuse suite's Discord: the real discord.js client on the fake gateway and REST, the real
 * core with an allow-list, slow-streaming models and the scripted answers.
 */
import type { DispatchedInteraction, DispatchedMessage, FakeUser, VisibleMessage } from "../../fakes/fake-discord/index.js";
import { eventually } from "../../support/eventually.js";
import { startDiscordFixture, type DiscordFixture } from "../discord/discord-fixture.js";
import { roomySlowModels } from "./roomy-models.js";
import { ordinaryAnswer, ordinaryQuestion, scriptedAnswer } from "./scripted-model.js";
import { freshTag } from "./telegram-rig.js";

/** A user, and where they write: their DM with the bot, or a guild channel (mentioning the bot). */
export interface DiscordPlace {
  readonly user: FakeUser;
  /** Undefined for the user's DM. */
  readonly channelId: string | undefined;
}

export interface DiscordAbuseRig {
  readonly fixture: DiscordFixture;
  readonly generalChannelId: string;
  newUser(): FakeUser;
  /** Someone on no allow-list. */
  stranger(): FakeUser;
  say(place: DiscordPlace, content: string, extra?: { readonly replyTo?: string; readonly attachments?: readonly ReturnType<DiscordFixture["fake"]["registerAttachment"]>[] }): DispatchedMessage;
  /** The bot's messages replying to a message. */
  repliesTo(sent: DispatchedMessage): VisibleMessage[];
  waitForReply(sent: DispatchedMessage, matches: (text: string) => boolean, what: string, timeoutMs?: number): Promise<VisibleMessage>;
  /** The interaction's visible messages once one passes `matches`. */
  waitForInteractionReply(dispatched: DispatchedInteraction, matches: (message: VisibleMessage) => boolean, what: string): Promise<VisibleMessage>;
  expectAnswered(place: DiscordPlace): Promise<void>;
  close(): Promise<void>;
}

const allowedUserCount = 400;

export async function startDiscordAbuseRig(): Promise<DiscordAbuseRig> {
  const firstUserId = 1_350_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 900)) * 1_000n;
  const allowed = Array.from({ length: allowedUserCount }, (_, index) => String(firstUserId + BigInt(index)));
  let nextUser = 0;
  let nextStranger = 0;
  const fixture = await startDiscordFixture({ env: { ALLOWED_USERS: allowed.map((id) => `dc:${id}`).join(",") }, models: roomySlowModels(15) });
  fixture.harness.groq.setResponder(scriptedAnswer);
  const fake = fixture.fake;
  const generalChannelId = fake.world.guilds[0]!.channels[0]!.id;
  const repliesTo = (sent: DispatchedMessage): VisibleMessage[] => fake.visibleMessages(sent.channelId).filter((message) => message.replyToMessageId === sent.id);
  const waitForReply: DiscordAbuseRig["waitForReply"] = (sent, matches, what, timeoutMs = 15_000) =>
    eventually(
      () => repliesTo(sent).find((message) => matches(message.content)),
      () => `${what}; the bot's messages in the channel: ${JSON.stringify(fake.visibleMessages(sent.channelId).map((message) => message.content.slice(0, 100)))}`,
      timeoutMs,
    );
  const say: DiscordAbuseRig["say"] = (place, content, extra = {}) => {
    const options = { content, author: place.user, ...(extra.replyTo === undefined ? {} : { replyTo: extra.replyTo }), ...(extra.attachments === undefined ? {} : { attachments: extra.attachments }) };
    return place.channelId === undefined ? fake.sendDirectMessage(options) : fake.sendGuildMessage({ ...options, channelId: place.channelId, mentionBot: true });
  };
  return {
    fixture,
    generalChannelId,
    newUser() {
      const id = allowed[nextUser];
      nextUser += 1;
      if (id === undefined) throw new Error("The abuse suite ran out of allowed Discord users.");
      return { id, username: `user-${nextUser}` };
    },
    stranger() {
      nextStranger += 1;
      return { id: String(1_360_000_000_000_000_000n + firstUserId % 1_000_000n + BigInt(nextStranger)), username: `stranger-${nextStranger}` };
    },
    say,
    repliesTo,
    waitForReply,
    waitForInteractionReply: (dispatched, matches, what) =>
      eventually(
        () => fake.visibleMessages(dispatched.channelId).find((message) => message.interactionToken === dispatched.token && !message.pending && matches(message)),
        () => `${what}; the interaction's messages: ${JSON.stringify(fake.visibleMessages(dispatched.channelId).filter((message) => message.interactionToken === dispatched.token))}`,
      ),
    async expectAnswered(place) {
      const tag = freshTag("sentinel");
      const sent = say(place, ordinaryQuestion(tag));
      await waitForReply(sent, (text) => text === ordinaryAnswer(tag), `the answer to the ordinary message #${tag}`, 30_000);
    },
    close: () => fixture.close(),
  };
}
