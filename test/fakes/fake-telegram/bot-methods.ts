import { badRequest } from "./bot-api-error.js";
import type { BotCommand, MethodHandler } from "./method-context.js";
import { booleanParam, numberParam, objectParam, stringParam } from "./request-params.js";

const getMe: MethodHandler = (world) => ({
  ...world.bot,
  can_join_groups: true,
  // Privacy mode, as for a new bot: in groups Telegram delivers only what is addressed to it.
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
});

const getUpdates: MethodHandler = (world, { params, signal }) =>
  world.updates.take({
    offset: numberParam(params, "offset"),
    limit: numberParam(params, "limit"),
    timeoutSeconds: numberParam(params, "timeout"),
    holdCapMs: world.holdCapMs,
    signal,
  });

const deleteWebhook: MethodHandler = (world, { params }) => {
  world.updates.setWebhook(undefined, booleanParam(params, "drop_pending_updates") === true);
  return true;
};

const setWebhook: MethodHandler = (world, { params }) => {
  const url = stringParam(params, "url") ?? "";
  if (url === "") {
    world.updates.setWebhook(undefined, booleanParam(params, "drop_pending_updates") === true);
    return true;
  }
  if (!/^https?:\/\//.test(url)) throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
  const secretToken = stringParam(params, "secret_token");
  if (secretToken !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secretToken)) throw badRequest("secret token contains unallowed characters");
  world.updates.setWebhook({ url, secretToken }, booleanParam(params, "drop_pending_updates") === true);
  return true;
};

const getWebhookInfo: MethodHandler = (world) => world.updates.webhookInfo();

function commandListKey(params: Record<string, unknown>): string {
  const scope = objectParam<{ type?: string }>(params, "scope")?.type ?? "default";
  return `${scope}:${stringParam(params, "language_code") ?? ""}`;
}

const setMyCommands: MethodHandler = (world, { params }) => {
  const commands = objectParam<BotCommand[]>(params, "commands");
  if (!Array.isArray(commands)) throw badRequest("parameter \"commands\" is required");
  if (commands.length > 100) throw badRequest("too many commands");
  for (const entry of commands) {
    if (typeof entry.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(entry.command)) throw badRequest("BOT_COMMAND_INVALID");
    if (typeof entry.description !== "string" || entry.description.trim() === "") throw badRequest("command description is empty");
    if (entry.description.length > 256) throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
  }
  world.commandLists.set(commandListKey(params), commands);
  return true;
};

const getMyCommands: MethodHandler = (world, { params }) => world.commandLists.get(commandListKey(params)) ?? [];

const deleteMyCommands: MethodHandler = (world, { params }) => {
  world.commandLists.delete(commandListKey(params));
  return true;
};

const answerCallbackQuery: MethodHandler = (world, { params }) => {
  const query = world.callbackQueries.get(stringParam(params, "callback_query_id") ?? "");
  if (query === undefined || query.answered) {
    throw badRequest("query is too old and response timeout expired or query ID is invalid");
  }
  const text = stringParam(params, "text");
  if (text !== undefined && text.length > 200) throw badRequest("MESSAGE_TOO_LONG");
  query.answered = true;
  return true;
};

const getFile: MethodHandler = (world, { params }) => world.files.describe(stringParam(params, "file_id"));

export const botMethods: Readonly<Record<string, MethodHandler>> = {
  getMe,
  getUpdates,
  deleteWebhook,
  setWebhook,
  getWebhookInfo,
  setMyCommands,
  getMyCommands,
  deleteMyCommands,
  answerCallbackQuery,
  getFile,
};
